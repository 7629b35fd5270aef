"""Page names from ids: plain ASCII ids stay; Vietnamese text becomes readable ASCII, never a clash."""

from __future__ import annotations

from builder.site.text import slug


def test_plain_ids_are_kept() -> None:
    assert slug("xa-ban-bo") == "xa-ban-bo"
    assert slug("2019") == "2019"


def test_vietnamese_letters_become_their_base_letters_with_d_for_dj() -> None:
    made = slug("Đường Đồng Đăng")
    assert made.startswith("duong-dong-dang-")
    assert slug("Thị trấn Tam Đường").startswith("thi-tran-tam-duong-")


def test_two_texts_that_read_alike_get_different_names() -> None:
    assert slug("Bản Bo") != slug("Ban Bo") and slug("Bản Bo") != slug("Bàn Bộ")
