"""Two Tesseract readings of a page merged word by word (`engine/ocr_readings.py`), Debian's
hunspell-vi syllables as the judge (`engine/vietnamese_syllables.py`). The readings are written
in the shape `pytesseract.image_to_data` hands back; the expected spellings are the Vietnamese
words themselves: "THỐNG" is a syllable and "THOÔNG" is none, "CỤC" is one and "CỤỰC" none."""

from __future__ import annotations

from typing import Any

from modules.engine import ocr_readings, vietnamese_syllables


def reading(*lines: list[tuple[str, float]], block_of_line: tuple[int, ...] = ()) -> dict[str, list[Any]]:
    """`image_to_data`'s columns for words laid out 100 px apart on lines 50 px apart."""
    data: dict[str, list[Any]] = {
        key: []
        for key in ("text", "conf", "left", "top", "width", "height", "block_num", "par_num", "line_num")
    }
    for row, words in enumerate(lines):
        block = block_of_line[row] if block_of_line else 1
        for column, (text, confidence) in enumerate(words):
            for key, value in zip(
                data,
                (text, confidence, 100 * column, 50 * row, 80, 30, block, 1, row + 1),
                strict=True,
            ):
                data[key].append(value)
    return data


def test_the_dictionary_lists_syllables_with_their_marks():
    assert vietnamese_syllables.known("THỐNG") and vietnamese_syllables.known("kê,")
    assert not vietnamese_syllables.known("THOÔNG") and not vietnamese_syllables.known("CỤỰC")


def test_a_tone_on_oa_oe_uy_is_known_in_either_placement():
    """The dictionary writes "uỷ", "thuỷ", "hoà"; print today writes "ủy", "thủy", "hòa": the same
    syllables. "quý" keeps its one placement (the u is the onset's), so "qúy" is no syllable."""
    for old, new in (("uỷ", "ủy"), ("THUỶ", "THỦY"), ("hoà", "hòa"), ("khoẻ", "khỏe")):
        assert vietnamese_syllables.known(old) and vietnamese_syllables.known(new)
    assert vietnamese_syllables.known("quý") and not vietnamese_syllables.known("qúy")


def test_a_word_that_is_no_syllable_is_taken_from_the_other_reading():
    first = reading([("CỤC", 90), ("THOÔNG", 80), ("KE", 90)])
    second = reading([("CỤỰC", 85), ("THỐNG", 70), ("KÊ", 95)])
    # THOÔNG is no syllable, THỐNG is; CỤỰC is none, so CỤC stays; KE and KÊ are both syllables
    # with the same letters: the surer reading (95) wins
    assert ocr_readings.merge(first, second) == "CỤC THỐNG KÊ\n"
    # and the first reading's, when it is the surer one
    second = reading([("CỤỰC", 85), ("THỐNG", 70), ("KÊ", 85)])
    assert ocr_readings.merge(first, second) == "CỤC THỐNG KE\n"


def test_two_words_glued_in_the_first_reading_are_not_replaced_by_one_of_them():
    """A rough scan: the first reading glues "13-tháng" (no syllable), the second reads "tháng" over
    most of its box; taking it would lose the day, so the first stays. A curly quote by a word is a
    speck: "SỰ”" is the syllable SỰ."""
    first = reading([("ngày", 93), ("13-tháng", 26)])
    second = reading([("ngày", 96), ("tháng", 16)])
    assert ocr_readings.merge(first, second) == "ngày 13-tháng\n"
    assert vietnamese_syllables.known("SỰ”") and vietnamese_syllables.known("“Hà")


def test_words_are_paired_by_place_and_the_first_readings_lines_are_kept():
    first = reading(
        [("BỘ", 90), ("Y", 90), ("TẾ", 90)], [("Số:", 90), ("15/QĐ-BYT", 90)], block_of_line=(1, 2)
    )
    # the second reading lists the lines in the other order: the pairing goes by the boxes
    second = reading([("Số:", 90), ("15/QĐ-BYT", 90)], [("BỘ", 90), ("Y", 90), ("TẾ", 90)])
    second["top"] = [50, 50, 0, 0, 0]
    assert ocr_readings.merge(first, second) == "BỘ Y TẾ\n\nSố: 15/QĐ-BYT\n"


def test_a_word_the_second_reading_lacks_stays_as_first_read():
    first = reading([("Nguyễn", 90), ("Văn", 90), ("Aaa", 10)])
    second = reading([("Nguyễn", 90)])
    assert ocr_readings.merge(first, second) == "Nguyễn Văn Aaa\n"


def test_a_word_one_reading_split_is_not_paired_with_a_piece_of_it():
    """ "DULỊCH" (two syllables run together) is no syllable and "DU" is one, but "DU" covers a
    third of its box: not the same word, so "LỊCH" is not lost."""
    first = reading([("VÀ", 90), ("DULỊCH", 90)])
    second = reading([("VÀ", 90), ("DU", 95)])
    second["width"] = [80, 60]
    first["width"] = [80, 180]
    assert ocr_readings.merge(first, second) == "VÀ DULỊCH\n"


def test_a_page_of_thousands_of_specks_merges_in_linear_time():
    """A noisy scan can give Tesseract thousands of one-letter 'words' a page (20 pages allowed):
    each word is compared only with the other reading's words that share a square of the page
    with it, so 6,000 words a reading take a fraction of a second (0.23 s at load 2), not the 36
    million comparisons of every pair (about 75 s: 200 words took 2.5 s that way)."""
    import time

    specks = [[("ư", 30)] * 100 for _ in range(60)]  # 60 lines of 100 specks
    first, second = reading(*specks), reading(*specks)
    first["text"][0], second["text"][0] = "THOÔNG", "THỐNG"
    started = time.process_time()
    merged = ocr_readings.merge(first, second)
    assert time.process_time() - started < 5.0
    assert merged.startswith("THỐNG ")
    assert merged.count("\n") == 60
