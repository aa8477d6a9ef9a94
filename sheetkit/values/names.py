"""Person names: honorifics and titles taken off, a Simplified key for matching.

The name shown keeps its characters as written (full-width letters too); only the key folds.

"张伟先生", "王总" and "Mr. John Smith" are a name plus a form of address; the form of
address goes to ``name_title`` so that the name compares with other spellings of it.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from .. import columns as C
from .text import HAN, TEXT, blank_to_na, extract, fold, match_key, re2, tidy

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

    The name keeps its characters as written; spaces between Chinese characters go.

    >>> normalize_names(pd.Series(["张伟先生", "王总", "Mr. John  Smith", "張 偉", "欧阳娜娜"])).values.tolist()
    [['张伟', '先生', '张伟'], ['王', '总', '王'], ['John Smith', 'Mr.', 'johnsmith'], ['張偉', None, '张伟'], ['欧阳娜娜', None, '欧阳娜娜']]
    >>> normalize_names(pd.Series(["Ｌｉｎ　Ｗｅｉ", "Ｍｒ． Ｗｕ"])).values.tolist()
    [['Ｌｉｎ Ｗｅｉ', None, 'linwei'], ['Wu', 'Mr.', 'wu']]
    """
    text = s.astype(TEXT)
    name, title = _take_titles(tidy(text, collapse=True).astype(TEXT))
    # A title only width folding reveals (Ｍｒ． Ｗｕ): the folded reading, title taken off.
    folded = fold(_nfkc(text))  # NFKC first: it can make spaces
    wide = (folded != tidy(text, collapse=True).astype(TEXT)).fillna(False).to_numpy(bool)
    if wide.any():
        f_name, f_title = _take_titles(folded[wide])
        use = (f_title.notna() & title[wide].isna()).to_numpy(bool)
        at = np.flatnonzero(wide)[use]
        name.iloc[at], title.iloc[at] = f_name[use].to_numpy(), f_title[use].to_numpy()
    name = blank_to_na(name)
    return pd.DataFrame({C.NAME: name, C.NAME_TITLE: blank_to_na(title), C.NAME_KEY: match_key(name)}, index=s.index)


def _take_titles(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(name, form of address) of one-line names: 张伟先生 is (张伟, 先生)."""
    text = _han_spaces_out(text)
    text = text.str.replace(_DOTS, r"·\1", regex=True)
    cn = extract(text, _CN_TITLE)
    bare_surname_only = cn[1].isin(_CN_AFTER_SURNAME) & (cn[0].str.len() > 1) & ~cn[0].isin(COMPOUND_SURNAMES)
    cn = cn.where(~bare_surname_only.fillna(False).astype(bool))
    en = extract(text, _EN_TITLE)[0]
    name = text.where(cn[0].isna(), cn[0])
    name = name.where(en.isna(), text.str.replace(_EN_TITLE, r"\2", regex=True))
    title = cn[1].fillna(en.str.lower().map(_EN_DISPLAY))
    return name.astype(object).where(name.notna(), None), title.astype(object).where(title.notna(), None)


# The commonest Chinese family names (about 85% of people): a one-character given name is
# rarely one of these, so 姓 = 玉珍 | 名 = 宋 reads as columns swapped, 宋玉珍.
COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭"
    "陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐"
    "易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管"
    "柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬"
    "边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝")
_HAN_ONLY = f"^[{HAN}·]+$"


def _han_spaces_out(text: pd.Series) -> pd.Series:
    """Spaces between Chinese characters taken out: 永 新 is 永新 ("张 伟 强": matches cannot overlap, so twice)."""
    for _ in range(2):
        text = text.str.replace(f"([{HAN}]) +([{HAN}])", r"\1\2", regex=True)
    return text


def name_parts_swapped(family: pd.Series, given: pd.Series) -> pd.Series:
    """Where a Chinese name's parts were typed into each other's column: the given-name
    column holds a family name (宋, 欧阳) and the family-name column does not start with one.

    >>> name_parts_swapped(pd.Series(["玉珍", "王", "娜娜", "慧"]), pd.Series(["宋", "小明", "欧阳", "刘"])).tolist()
    [True, False, True, True]
    """
    f, g = family.astype(TEXT), given.astype(TEXT)
    han = (f.str.fullmatch(_HAN_ONLY) & g.str.fullmatch(_HAN_ONLY)).fillna(False).astype(bool)
    first_of = f.str.slice(0, 2).where(f.str.slice(0, 2).isin(COMPOUND_SURNAMES), f.str.slice(0, 1))
    a_surname = ((g.str.len() == 1) & g.isin(COMMON_SURNAMES)) | g.isin(COMPOUND_SURNAMES)
    return (han & a_surname & ~first_of.isin(COMMON_SURNAMES) & ~first_of.isin(COMPOUND_SURNAMES)).fillna(
        False).astype(bool)


def join_name_parts(family: pd.Series | None, given: pd.Series | None, index: pd.Index) -> pd.Series:
    """One name from a family-name and a given-name column, as a person writes it.

    Chinese: family then given, no space (王 + 小明 = 王小明, 黄 + 永 新 = 黄永新); columns
    swapped (玉珍 | 宋) are put back. Latin: given then family ("Rhonda Kelly"). A whole name typed into one
    of the two columns is taken as it is, and so is a part the other already contains.

    >>> join_name_parts(pd.Series(["王", "玉珍", "Kelly", "Rhonda Kelly", None, "欧阳", "娜娜", "黄", "Thoma"]),
    ...                 pd.Series(["小明", "宋", "Rhonda", None, "宋玉珍", "娜娜", "欧阳", "永 新", "Thomas"]),
    ...                 pd.RangeIndex(9)).tolist()
    ['王小明', '宋玉珍', 'Rhonda Kelly', 'Rhonda Kelly', '宋玉珍', '欧阳娜娜', '欧阳娜娜', '黄永新', 'Thomas Thoma']
    """
    def part(s: pd.Series | None) -> pd.Series:
        if s is None:
            return pd.Series(pd.NA, index=index, dtype=TEXT)
        return _han_spaces_out(tidy(s, collapse=True))

    f, g = part(family), part(given)
    han = (f.str.fullmatch(_HAN_ONLY).fillna(True) & g.str.fullmatch(_HAN_ONLY).fillna(True)).astype(bool)
    swapped = name_parts_swapped(f, g)
    chinese = (f.fillna("") + g.fillna("")).where(~swapped, g.fillna("") + f.fillna(""))
    latin = (g.fillna("") + " " + f.fillna("")).str.strip()
    joined = chinese.where(han, latin)
    # One part holding the other: the whole name typed into First Name, the surname again in Last Name
    both = f.notna() & g.notna()
    if both.any():
        pairs = pd.DataFrame({"f": f[both].astype(object), "g": g[both].astype(object)})
        uniques = pairs.drop_duplicates()
        held = pd.Series([_holds(a, b) for a, b in zip(uniques["f"], uniques["g"])], index=uniques.index)
        whole = pairs.merge(uniques.assign(_held=held.to_numpy()), on=["f", "g"], how="left")["_held"]
        whole.index = pairs.index
        joined = joined.where(~joined.index.isin(whole.index[whole == "f"]), f)
        joined = joined.where(~joined.index.isin(whole.index[whole == "g"]), g)
    return blank_to_na(joined.astype(TEXT))


def _holds(family: str, given: str) -> str:
    """"f" or "g" when that part already holds the whole name (the other is part of it), else ""."""
    fw, gw = family.lower().split(), given.lower().split()
    # One word of letters never holds another: "Thoma" beside "Thomas" is a surname mistyped.
    han = re.fullmatch(_HAN_ONLY, family) is not None and re.fullmatch(_HAN_ONLY, given) is not None
    if len(family) > len(given) and (set(gw) <= set(fw) if len(fw) > 1 else han and family.endswith(given)):
        return "f"
    if len(given) > len(family) and (set(fw) <= set(gw) if len(gw) > 1 else han and given.startswith(family)):
        return "g"
    return ""
