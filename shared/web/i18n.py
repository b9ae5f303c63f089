"""Chinese first, English on request: the visitor's language and the labels pages show for the
codes the services use (statuses, unit types, roles), and times in China Standard Time."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from shared.clock import CHINA

LANGUAGES = ("zh", "en")
DEFAULT = "zh"
LANG_COOKIE = "shifan_lang"

LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "status": {
        "draft": ("草稿", "draft"), "submitted": ("已提交", "submitted"), "returned": ("已退回补正", "returned"),
        "recommended": ("已推荐", "recommended"), "declined": ("未予推荐", "declined"),
        "withdrawn": ("已撤回", "withdrawn"), "certified": ("已认定", "certified"),
        "under_rereview": ("复核中", "under re-review"), "confirmed": ("复核通过", "confirmed"),
        "revoked": ("已撤销", "revoked"), "given_up": ("已放弃", "given up"), "valid": ("有效", "valid"),
        "open": ("进行中", "open"), "passed": ("评审通过", "passed"), "failed": ("评审未通过", "failed"),
        "closed": ("已结束", "closed"), "upheld": ("异议成立", "upheld"), "dismissed": ("异议不成立", "dismissed"),
        "given_up_dispatch": ("已放弃投递", "given up"), "holding": ("持有称号", "holding the title"),
        "any": ("全部", "any"),
        # a city plan (ADR 42)
        "proposed": ("已提出，待协调小组审理", "proposed"), "revising": ("讨论修改中", "being revised"),
        "revised": ("已修改，待协调小组审理", "revised"), "accepted": ("已正式受理，待批复", "accepted, awaiting approvals"),
        "approved": ("已联合批复", "jointly approved"), "batched": ("已确定为示范城市", "confirmed in a batch"),
    },
    "round": {
        "opinion": ("协调小组修改意见", "the coordination group's opinion"),
        "sent_back": ("批复部门退回修改", "sent back by an approver"),
    },
    "result": {
        "excellent": ("优秀", "excellent"), "passed": ("合格", "passed"), "failed": ("不合格", "failed"),
    },
    "unit_type": {
        "enterprise": ("示范企业", "demonstration enterprise"), "base": ("示范基地", "demonstration base"),
        "rural_county": ("农村电子商务示范县", "rural e-commerce demonstration county"),
        "city": ("国家电子商务示范城市", "national e-commerce demonstration city"),
    },
    "subtype": {
        "b2b_platform": ("B2B电子商务平台", "B2B platform"), "b2c_platform": ("B2C电子商务平台", "B2C platform"),
        "service_enterprise": ("电子商务服务企业", "e-commerce service enterprise"),
        "traditional_enterprise": ("开展电子商务的传统企业", "traditional enterprise applying e-commerce"),
    },
    "role": {
        "applicant": ("申报单位", "applicant"), "recommender": ("市(州)商务主管部门", "city department"),
        "expert": ("评审专家", "expert"), "operator": ("省商务厅", "provincial department"),
        "auditor": ("审计", "auditor"), "agency": ("有关部门", "agency"), "public": ("公众", "public"),
        "coordinator": ("示范城市创建工作协调小组", "coordination group"), "ministry": ("批复部门", "approving ministry"),
    },
    "event": {
        "certified": ("认定授牌", "certified"), "rereview_requested": ("启动复核", "re-review requested"),
        "confirmed": ("复核通过", "confirmed"), "revoked": ("撤销称号", "revoked"),
        "given_up": ("放弃称号", "given up"), "amended": ("信息变更", "amended"),
        "report_submitted": ("报送统计报表", "report submitted"),
        "graded": ("评定等级", "graded"), "kept": ("等级维持", "grade kept"),
        "upgraded": ("等级上调", "upgraded"), "downgraded": ("等级下调", "downgraded"),
    },
}


def language(args_lang: str | None, cookie_lang: str | None) -> str:
    """`?lang=` wins, then the cookie, then Chinese."""
    for candidate in (args_lang, cookie_lang):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT


class Translator:
    """What a template calls: `t("中文", "English")`, `label("status", code)`, and the filters."""

    def __init__(self, lang: str):
        self.lang = lang

    def t(self, zh: str, en: str) -> str:
        return en if self.lang == "en" else zh

    def label(self, kind: str, code) -> str:
        if code is None:
            return ""
        pair = LABELS.get(kind, {}).get(str(code))
        return self.t(*pair) if pair else str(code)

    def cst(self, moment) -> str:
        """An aware datetime shown in China Standard Time; a date as it is."""
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment)
        if isinstance(moment, datetime):
            if moment.tzinfo is None:
                raise ValueError("times are aware datetimes")
            return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M") + self.t("（北京时间）", " CST")
        if isinstance(moment, date):
            return moment.isoformat()
        return "" if moment is None else str(moment)

    def yuan(self, amount) -> str:
        if amount is None or amount == "":
            return ""
        return f"{Decimal(str(amount)):,}" + self.t(" 元", " yuan")
