"""Memoized text functions: same results as computing afresh, and safe to mutate."""

from rag.text import fold, index_tokens, normalize, squash, token_set

TEXT = "Sở Thông tin và Truyền thông chủ trì, thời hạn Quý II/2024 (hoà mạng 06 tháng)"


def test_index_tokens_returns_a_fresh_list_each_time() -> None:
    first = index_tokens(TEXT)
    first.append("them_vao")
    first.clear()
    again = index_tokens(TEXT)
    assert again and "them_vao" not in again
    assert again is not index_tokens(TEXT)


def test_token_set_is_the_set_of_index_tokens() -> None:
    assert token_set(TEXT) == frozenset(index_tokens(TEXT))
    assert "so_thong" in token_set(TEXT) and "6" in token_set(TEXT)


def test_cached_functions_answer_from_the_cache_on_repeat() -> None:
    fold.cache_clear()
    fold(TEXT)
    fold(TEXT)
    assert fold.cache_info().hits >= 1
    assert (
        fold(TEXT)
        == "so thong tin va truyen thong chu tri, thoi han quy ii/2024 (hoa mang 06 thang)"
    )
    assert normalize("hoà") == "hòa"
    assert squash("276 / TB - VPCP") == squash("276/TB-VPCP")
