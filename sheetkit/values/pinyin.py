"""Names in one comparable spelling: lower-case pinyin, family name first.

张伟, 張偉 (Traditional), "Zhang Wei" and "ZHANG Wei" all read ``zhang wei``; "Wei Zhang"
reads ``wei zhang`` (Latin names keep the order they were written in, since nothing says
which word is the family name: compare them order-free, e.g. with a token-sort ratio).

Work is done once per distinct character, not per cell: the distinct characters of all
names are converted Traditional -> Simplified (OpenCC ``t2s``) and read with pypinyin
into translation tables, and the names are then rewritten with ``str.translate``.
A Chinese name's first character (or first two, for a compound surname such as 欧阳)
is its family name, read as a surname: 单 is shan, not dan; 曾 is zeng, not ceng.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata

import numpy as np
import pandas as pd

from .text import replace_regex

# Two-character family names: read (and kept) as one word, "ouyang nana".
COMPOUND_SURNAMES = {
    "欧阳": "ouyang", "司马": "sima", "上官": "shangguan", "诸葛": "zhuge", "东方": "dongfang",
    "皇甫": "huangfu", "尉迟": "yuchi", "公孙": "gongsun", "慕容": "murong", "长孙": "zhangsun",
    "宇文": "yuwen", "司徒": "situ", "夏侯": "xiahou", "轩辕": "xuanyuan", "令狐": "linghu",
    "钟离": "zhongli", "闻人": "wenren", "万俟": "moqi", "澹台": "tantai", "独孤": "dugu",
    "南宫": "nangong", "西门": "ximen", "端木": "duanmu", "百里": "baili", "呼延": "huyan",
    "东郭": "dongguo", "太史": "taishi", "申屠": "shentu", "公冶": "gongye", "濮阳": "puyang",
    "淳于": "chunyu", "单于": "chanyu", "赫连": "helian", "拓跋": "tuoba", "司空": "sikong",
}
# Characters whose reading as a family name differs from their everyday reading.
SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "区": "ou", "仇": "qiu", "朴": "piao", "查": "zha",
    "盖": "ge", "覃": "qin", "乐": "yue", "缪": "miao", "秘": "bi", "种": "chong", "繁": "po",
    "黑": "he", "翟": "zhai", "员": "yun", "祭": "zhai", "宓": "mi", "柏": "bai", "薄": "bo",
    "重": "chong", "长": "chang", "尉": "wei", "沈": "shen", "任": "ren", "华": "hua", "纪": "ji",
    "折": "she", "隗": "wei", "召": "shao", "句": "gou", "洗": "xian", "冼": "xian", "那": "na",
}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SEPARATORS = "·・.,，。-_/\\()（）[]【】\"'“”"  # 买买提·艾力, "Zhang, Wei", "张伟(Kevin)"


def _is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


@functools.lru_cache(maxsize=1 << 16)
def char_reading(char: str) -> str:
    """One Chinese character's everyday pinyin, without tones ("" where pypinyin has none).

    >>> char_reading("张"), char_reading("x")
    ('zhang', '')
    """
    from pypinyin import Style, lazy_pinyin

    return next(iter(lazy_pinyin(char, style=Style.NORMAL, errors="ignore", v_to_u=False)), "")


@functools.lru_cache(maxsize=8192)
def _char_table(chars: frozenset[str]) -> tuple[dict[int, str], dict[int, str]]:
    """(to Simplified, to reading) translation tables for these characters.

    The reading table maps a Chinese character to its pinyin, a Latin letter to its
    lower-case base letter (é -> e), and separators to a space.
    """
    from opencc import OpenCC
    from pypinyin import Style, lazy_pinyin

    ordered = sorted(chars)
    cjk = [c for c in ordered if _is_cjk(c)]
    simplified = OpenCC("t2s").convert("\n".join(cjk)).split("\n") if cjk else []
    to_simple = {ord(t): s for t, s in zip(cjk, simplified) if t != s and len(s) == 1}
    readable = sorted(set(simplified) | set(cjk))
    readings = lazy_pinyin(readable, style=Style.NORMAL, errors="ignore", v_to_u=False) if readable else []
    to_reading: dict[int, str] = {}
    if len(readings) == len(readable):
        to_reading = {ord(c): r for c, r in zip(readable, readings)}
    else:  # a character pypinyin cannot read: read them one at a time
        to_reading = {ord(c): char_reading(c) for c in readable}
    for c in ordered:
        if not _is_cjk(c):
            base = "".join(ch for ch in unicodedata.normalize("NFKD", c) if not unicodedata.combining(ch))
            if base != c or c.isupper():
                to_reading[ord(c)] = base.casefold()
    for c in _SEPARATORS:
        to_reading[ord(c)] = " "
    return to_simple, to_reading


def pinyin_tokens(names: pd.Series) -> pd.Series:
    """Each name as lower-case ASCII words: family name then given name for Chinese names.

    Args:
        names: written names, any script (missing values stay missing).

    Returns:
        A Series like ``names`` (same index) of object strings or None.

    >>> pinyin_tokens(pd.Series(["张伟", "張偉", "Wei  Zhang", "欧阳娜娜", "单雄信", None])).tolist()
    ['zhang wei', 'zhang wei', 'wei zhang', 'ouyang nana', 'shan xiongxin', None]
    """
    codes, distinct = pd.factorize(names.astype("string[pyarrow]").str.strip())
    if len(distinct) == 0:
        return pd.Series(None, index=names.index, dtype=object)
    uniques = pd.Series(distinct, dtype=object)
    to_simple, to_reading = _char_table(frozenset("".join(uniques.tolist())))
    simple = replace_regex(uniques.str.translate(to_simple), r"\s+", " ").str.strip()
    chinese = simple.str.match(_CJK.pattern).fillna(False).astype(bool)
    compound = simple.str[:2].isin(COMPOUND_SURNAMES.keys()) & chinese
    family = simple.str[:1].where(~compound, simple.str[:2])
    family_read = family.map(COMPOUND_SURNAMES | SURNAME_READINGS).fillna(family.str.translate(to_reading))
    given = simple.str.slice(1).where(~compound, simple.str.slice(2)).str.translate(to_reading)
    read = (family_read + " " + given).where(chinese, simple.str.translate(to_reading)).astype("string[pyarrow]")
    read = replace_regex(replace_regex(read, r"[^a-z0-9 ]+", ""), r"\s+", " ").str.strip()
    table = read.to_numpy(dtype=object, na_value=None)
    table[table == ""] = None
    out = np.where(codes >= 0, table[np.maximum(codes, 0)], None)
    return pd.Series(out, index=names.index, dtype=object)


# Every pinyin syllable without tones, as pypinyin reads Chinese characters, less the
# interjections m, n, ng, hm, hng ("Tom" is not to + m). A constant so that dedupe need
# not load pypinyin's dictionary; tests/values/test_pinyin.py keeps it equal to pypinyin's.
_SYLLABLE_WORDS = (
    "a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu ca cai "
    "can cang cao ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai "
    "chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di "
    "dia dian diao die din ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng "
    "fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha "
    "hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao "
    "jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan "
    "kuang kui kun kuo la lai lan lang lao le lei len leng li lia lian liang liao lie lin ling liu lo "
    "long lou lu luan lue lun luo ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo "
    "mou mu na nai nan nang nao ne nei nen neng ni nia nian niang niao nie nin ning niu nong nou nu nuan "
    "nue nun nuo o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian "
    "qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan "
    "rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shei shen sheng shi shou "
    "shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te "
    "tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wong wu "
    "xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong "
    "you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng "
    "zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo "
)
SYLLABLES = frozenset(_SYLLABLE_WORDS.split())
_SYLLABLES = "|".join(sorted(SYLLABLES, key=lambda s: (-len(s), s)))  # longest first


def reads_as_pinyin(words: pd.Series) -> pd.Series:
    """Whether each lower-case word is pinyin of one to three syllables: wei, xiaoming, ouyang.

    Many short English names read as pinyin too (lisa, annie), so a True says only that the
    word could be a Chinese name written in pinyin.

    >>> reads_as_pinyin(pd.Series(["wei", "xiaoming", "tony", "jennifer", None])).tolist()
    [True, True, False, False, False]
    """
    pattern = f"(?:{_SYLLABLES}){{1,3}}"
    return words.astype("string[pyarrow]").str.fullmatch(pattern).fillna(False).astype(bool)


# Family names as Chinese customers outside the mainland write them: Hong Kong's Cantonese
# spellings, Taiwan's Wade-Giles, the Hokkien of Singapore and Malaysia. 张 is "Cheung" on
# a Hong Kong ID card and "Chang" in Taiwan, 黄 "Wong" or "Ng", 陈 "Chan" or "Tan". Each
# spelling lists the pinyin it may stand for (a spelling that is pinyin too, such as Tan,
# 谭, also stands for itself). Source: the romanisation columns of Wikipedia's "List of
# common Chinese surnames" (Cantonese, Wade-Giles and Hokkien forms of the most frequent).
ROMANIZED_SURNAMES: dict[str, tuple[str, ...]] = {
    "chan": ("chen",), "cheung": ("zhang",), "chang": ("zhang",), "wong": ("wang", "huang"),
    "lee": ("li",), "lau": ("liu",), "lam": ("lin",), "ng": ("wu", "huang"), "ho": ("he",),
    "chow": ("zhou",), "chau": ("zhou",), "chou": ("zhou",), "yeung": ("yang",), "leung": ("liang",),
    "tsang": ("zeng",), "kwok": ("guo",), "kuo": ("guo",), "kwan": ("guan",), "tse": ("xie",),
    "hsieh": ("xie",), "tam": ("tan",), "fung": ("feng",), "mak": ("mai",), "yip": ("ye",),
    "yeh": ("ye",), "lui": ("lu", "lv"), "lo": ("luo", "lu"), "law": ("luo",), "choi": ("cai",),
    "tsoi": ("cai",), "tsai": ("cai",), "chua": ("cai",), "chu": ("zhu",), "chung": ("zhong", "zhang"),
    "hui": ("xu",), "hsu": ("xu",), "koh": ("xu",), "siu": ("xiao",), "hsiao": ("xiao",),
    "kong": ("jiang",), "chiang": ("jiang",), "koo": ("gu",), "ko": ("gao",), "kao": ("gao",),
    "mok": ("mo",), "yuen": ("yuan",), "chiu": ("zhao", "qiu"), "chao": ("zhao",), "tsao": ("cao",),
    "tseng": ("zeng",), "teng": ("deng",), "tang": ("deng",), "tung": ("dong",), "sung": ("song",),
    "kung": ("gong",), "chien": ("qian",), "chin": ("qin", "jin"), "tan": ("chen",),
    "lim": ("lin",), "ong": ("wang",), "goh": ("wu",), "teo": ("zhang",), "tay": ("zheng",),
    "cheng": ("zheng",), "yeo": ("yang",), "low": ("liu",), "sim": ("shen",), "toh": ("du",),
    "quek": ("guo",), "khoo": ("qiu",), "au": ("ou",), "kwong": ("kuang",), "sze": ("shi",),
    "tsui": ("xu", "cui"), "fong": ("fang",), "poon": ("pan",), "pun": ("pan",), "szeto": ("situ",),
    "auyeung": ("ouyang",), "lai": ("li",), "woo": ("wu", "hu"), "yau": ("qiu", "you"),
}
ROMANIZED_FORMS = 6  # spellings in pinyin kept per name: "wong hui" has five


def romanized_forms(readings: pd.Series) -> list[list[str]]:
    """The pinyin a Chinese name written in Latin letters outside the mainland may stand
    for, words sorted: "cheung wei" -> ["wei zhang"]; "chan hui" -> ["chen xu", "chen hui",
    "chan xu"] (Hui is a given name in pinyin and 许 in Cantonese). Empty for a name
    with no such spelling, one word only, or a word that is neither pinyin nor such a
    spelling ("Tony Lee" is an English name). At most ``ROMANIZED_FORMS`` each; run it on
    distinct readings of names written in Latin letters (a name in characters has one reading).

    >>> romanized_forms(pd.Series(["cheung wei", "chan hui", "zhang wei", "tony lee", "lee"]))
    [['wei zhang'], ['chen xu', 'chen hui', 'chan xu'], [], [], []]
    """
    names = [v.split() if isinstance(v, str) else [] for v in readings.tolist()]
    vocab = pd.Series(sorted({w for words in names for w in words}), dtype=object)
    pinyin = set(vocab[reads_as_pinyin(vocab).to_numpy()]) if len(vocab) else set()
    out = []
    for words in names:
        if (len(words) < 2 or not any(w in ROMANIZED_SURNAMES for w in words)
                or not all(w in ROMANIZED_SURNAMES or w in pinyin for w in words)):
            out.append([])
            continue
        alts = [ROMANIZED_SURNAMES.get(w, ()) + ((w,) if w in pinyin else ()) for w in words]
        forms = dict.fromkeys(" ".join(sorted(c)) for c in itertools.product(*alts))
        forms.pop(" ".join(sorted(words)), None)  # the name as written is compared already
        out.append(list(forms)[:ROMANIZED_FORMS])
    return out
