"""Person names: folded, honorifics and titles taken off, a Simplified key for matching.

"张伟先生", "王总" and "Mr. John Smith" are a name plus a form of address; the form of
address goes to ``name_title`` so that the name compares with other spellings of it.
"""

from __future__ import annotations

import unicodedata

import pandas as pd

from .. import columns as C
from .text import HAN, TEXT, blank_to_na, extract, fold, match_key, re2

# Forms of address after a Chinese surname or name. Longer ones first (总经理 before 总).
_CN_TITLES = ("总经理", "董事长", "副总", "总监", "经理", "主任", "老师", "师傅", "先生", "女士", "小姐", "太太", "夫人",
              "博士", "教授", "医生", "大夫", "律师", "老板", "总", "工")
# "总" and "工" (王总, 李工) only ever follow a bare surname; the others may follow a full name.
_CN_AFTER_SURNAME = ("总", "工", "副总")
_CN_TITLE = re2(rf"^([{HAN}]{{1,4}}?)\s*[(（]?({'|'.join(_CN_TITLES)})[)）]?$")
_EN_TITLE = re2(r"(?i)^(mr|mrs|ms|miss|mx|dr|prof|sir|madam|mme|mlle)(?:\.\s*|\s+)([a-z])")
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "夏侯", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
                     "司徒", "令狐", "端木", "独孤", "南宫", "西门", "闻人", "轩辕", "澹台", "申屠", "太史", "钟离")
_EN_DISPLAY = {"mr": "Mr.", "mrs": "Mrs.", "ms": "Ms.", "miss": "Miss", "mx": "Mx.", "dr": "Dr.", "prof": "Prof.",
               "sir": "Sir", "madam": "Madam", "mme": "Mme", "mlle": "Mlle"}
_DOTS = "[ ]*[・•‧∙.．][ ]*([" + HAN + "])"  # 阿依古丽•买买提 → 阿依古丽·买买提


def _nfkc(text: pd.Series) -> pd.Series:
    odd = text.str.contains(f"[^\x01-\x7f{HAN}]", regex=True).fillna(False).astype(bool)
    if not odd.any():
        return text
    out = text.copy()
    out[odd] = text[odd].map(lambda v: unicodedata.normalize("NFKC", v)).astype(TEXT)
    return out


def normalize_names(s: pd.Series) -> pd.DataFrame:
    """``name`` without its form of address, ``name_title`` with it, and ``name_key``.

    >>> normalize_names(pd.Series(["张伟先生", "王总", "Mr. John  Smith", "張 偉", "欧阳娜娜"])).values.tolist()
    [['张伟', '先生', '张伟'], ['王', '总', '王'], ['John Smith', 'Mr.', 'johnsmith'], ['張偉', None, '张伟'], ['欧阳娜娜', None, '欧阳娜娜']]
    """
    text = fold(_nfkc(s.astype(TEXT)))  # NFKC first: it can make spaces
    for _ in range(2):  # "张 伟 强": matches cannot overlap, so twice
        text = text.str.replace(f"([{HAN}]) +([{HAN}])", r"\1\2", regex=True)
    text = text.str.replace(_DOTS, r"·\1", regex=True)
    cn = extract(text, _CN_TITLE)
    bare_surname_only = cn[1].isin(_CN_AFTER_SURNAME) & (cn[0].str.len() > 1) & ~cn[0].isin(COMPOUND_SURNAMES)
    cn = cn.where(~bare_surname_only.fillna(False).astype(bool))
    en = extract(text, _EN_TITLE)[0]
    name = text.where(cn[0].isna(), cn[0])
    name = name.where(en.isna(), text.str.replace(_EN_TITLE, r"\2", regex=True))
    title = cn[1].fillna(en.str.lower().map(_EN_DISPLAY))
    name = blank_to_na(name)
    return pd.DataFrame({C.NAME: name, C.NAME_TITLE: blank_to_na(title), C.NAME_KEY: match_key(name)}, index=s.index)
