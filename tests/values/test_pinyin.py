import pandas as pd
import pytest

from sheetkit.values.pinyin import pinyin_tokens


@pytest.mark.parametrize(("written", "read"), [
    ("张伟", "zhang wei"),
    ("張偉", "zhang wei"),                # Traditional characters read like Simplified ones
    ("Zhang Wei", "zhang wei"),
    ("  WEI   zhang ", "wei zhang"),     # Latin names keep their order, lower-cased
    ("欧阳娜娜", "ouyang nana"),           # a compound surname is one word
    ("司马光", "sima guang"),
    ("诸葛亮", "zhuge liang"),
    ("单雄信", "shan xiongxin"),          # surname readings, not everyday ones
    ("曾小明", "zeng xiaoming"),
    ("解缙", "xie jin"),
    ("区华", "ou hua"),
    ("仇英", "qiu ying"),
    ("朴灿烈", "piao canlie"),
    ("查良镛", "zha liangyong"),
    ("覃志", "qin zhi"),
    ("乐嘉", "yue jia"),
    ("张 伟", "zhang wei"),              # a stray space
    ("张伟 Kevin", "zhang wei kevin"),    # an English name beside the Chinese one
    ("Müller, Hans", "muller hans"),
    ("吕一", "lv yi"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_names_read_in_pinyin(written, read):
    assert pinyin_tokens(pd.Series([written])).tolist() == [read]


def test_missing_and_blank_names_stay_missing_and_the_index_is_kept():
    out = pinyin_tokens(pd.Series([None, "", "  ", "王芳"], index=[10, 11, 12, 13]))
    assert out.index.tolist() == [10, 11, 12, 13]
    assert out.tolist() == [None, None, None, "wang fang"]


def test_a_large_column_is_read_per_distinct_value():
    names = pd.Series(["张伟", "張偉", "Wei Zhang", None] * 50_000)
    out = pinyin_tokens(names)
    assert out.iloc[:4].tolist() == ["zhang wei", "zhang wei", "wei zhang", None]
    assert out.nunique() == 2


def test_the_syllable_list_is_pypinyins():
    import unicodedata

    from pypinyin.constants import PINYIN_DICT

    from sheetkit.values.pinyin import SYLLABLES

    read = {"".join(ch for ch in unicodedata.normalize("NFKD", r) if not unicodedata.combining(ch)).lower()
            for readings in PINYIN_DICT.values() for r in readings.split(",")}
    assert SYLLABLES == {r for r in read if r.isascii() and r.isalpha()} - {"m", "n", "ng", "hm", "hng"}


def test_pinyin_words_are_told_from_english_names():
    from sheetkit.values.pinyin import reads_as_pinyin

    words = pd.Series(["wei", "xiaoming", "ouyang", "zhuang", "tony", "jennifer", "kevin", "tom", None])
    assert reads_as_pinyin(words).tolist() == [True, True, True, True, False, False, False, False, False]
