"""The Merkle tree of RFC 6962: Certificate Transparency's own test vectors, proofs against the
RFC's recursive definitions, proofs that fail when anything changes, and proof sizes."""
import hashlib
import math

import pytest

from shared.audit.merkle import EMPTY_ROOT, Tree, leaf_hash, node_hash, verify_consistency, verify_inclusion

# The leaves and roots of certificate-transparency's reference tests (merkle_tree_test).
CT_LEAVES = [b"", b"\x00", b"\x10", b"\x20\x21", b"\x30\x31", b"\x40\x41\x42\x43", bytes(range(0x50, 0x58)),
             bytes(range(0x60, 0x70))]
CT_ROOTS = ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"]


def _k(n):
    return 1 << ((n - 1).bit_length() - 1)


def mth(data):  # RFC 6962 2.1, word for word
    if not data:
        return hashlib.sha256(b"").digest()
    if len(data) == 1:
        return leaf_hash(data[0])
    k = _k(len(data))
    return node_hash(mth(data[:k]), mth(data[k:]))


def path(m, data):  # RFC 6962 2.1.1
    if len(data) == 1:
        return []
    k = _k(len(data))
    return path(m, data[:k]) + [mth(data[k:])] if m < k else path(m - k, data[k:]) + [mth(data[:k])]


def subproof(m, data, b):  # RFC 6962 2.1.2
    n = len(data)
    if m == n:
        return [] if b else [mth(data)]
    k = _k(n)
    if m <= k:
        return subproof(m, data[:k], b) + [mth(data[k:])]
    return subproof(m - k, data[k:], False) + [mth(data[:k])]


def test_leaves_and_nodes_are_hashed_with_different_prefixes():
    assert leaf_hash(b"ab") == hashlib.sha256(b"\x00ab").digest()
    assert node_hash(b"a" * 32, b"b" * 32) == hashlib.sha256(b"\x01" + b"a" * 32 + b"b" * 32).digest()
    assert Tree().root() == EMPTY_ROOT == hashlib.sha256(b"").digest()


def test_roots_are_certificate_transparencys_reference_roots():
    tree = Tree([leaf_hash(d) for d in CT_LEAVES])

    assert [tree.root(n).hex() for n in range(1, 9)] == CT_ROOTS


@pytest.mark.parametrize("size", range(1, 34))
def test_inclusion_proofs_are_the_rfcs_audit_paths_and_verify(size):
    data = [n.to_bytes(4, "big") for n in range(size)]
    tree = Tree([leaf_hash(d) for d in data])

    for m in range(size):
        proof = tree.inclusion_proof(m, size)
        assert proof == path(m, data)
        assert verify_inclusion(leaf_hash(data[m]), m, size, proof, mth(data))
        assert not verify_inclusion(leaf_hash(b"other"), m, size, proof, mth(data))
        if size > 1:
            assert not verify_inclusion(leaf_hash(data[m]), (m + 1) % size, size, proof, mth(data))


@pytest.mark.parametrize("size", range(1, 34))
def test_consistency_proofs_are_the_rfcs_and_verify_only_for_a_prefix(size):
    data = [n.to_bytes(4, "big") for n in range(size)]
    tree = Tree([leaf_hash(d) for d in data])
    rewritten = Tree([leaf_hash(d) for d in data[:-1]] + [leaf_hash(b"rewritten")])

    for first in range(1, size + 1):
        proof = tree.consistency_proof(first, size)
        assert proof == subproof(first, data, True)
        assert verify_consistency(first, size, mth(data[:first]), mth(data), proof)
        if first < size:
            assert not verify_consistency(first, size, mth(data[:first]), rewritten.root(), proof)


def test_a_tree_answers_for_any_earlier_size():
    data = [n.to_bytes(4, "big") for n in range(100)]
    tree = Tree([leaf_hash(d) for d in data])

    assert all(tree.root(n) == mth(data[:n]) for n in (0, 1, 2, 3, 31, 32, 33, 64, 99, 100))
    assert tree.inclusion_proof(40, 64) == path(40, data[:64])


def test_inclusion_proofs_grow_with_the_logarithm_of_the_tree():
    tree = Tree([leaf_hash(n.to_bytes(4, "big")) for n in range(100_000)])

    for size in (1_000, 10_000, 100_000):
        longest = max(len(tree.inclusion_proof(m, size)) for m in range(0, size, size // 97))
        assert longest <= math.ceil(math.log2(size)), (size, longest)
    assert len(tree.inclusion_proof(99_999)) <= 17 and len(tree.consistency_proof(12_345)) <= 2 * 17
