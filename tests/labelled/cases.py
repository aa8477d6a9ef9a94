"""The answer key: raw cells as sheets give them, with the canonical values and issues a
careful clerk would write down (issue 4, "How good it must be").

Written from the contract, not from sheetkit's output. Hand cases are the tricky ones,
each checked by hand; generated cases (fixed seeds) add many spellings per field and a
realistic share of invalid values that look plausible. References used for generated
labels: ``phonenumbers`` (validity, E.164, display, type), ``python-stdnum`` (ID and
credit-code check characters), ``email-validator`` semantics for syntax; names, pinyin,
addresses and companies come from hand-written tables below.

A case's ``expected`` maps output columns to values (None: empty). Only columns the
contract fixes are listed, so a case never depends on a detail the contract leaves
open. ``codes`` are the issue codes the value must raise (empty: the value is valid and
must raise no issue at all). Cases sharing a ``column`` form one column of one sheet:
the day/month order of dates and the decimal mark of amounts are decided per column.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType
from stdnum.cn import ric, uscc

AS_OF = dt.date(2026, 11, 24)
DATE_FIELDS = ("order_date", "last_contact_on", "created_on", "birth_on")
FIELDS = ("phone", "email", "name", "company", "id_number", "credit_code", "address", "postcode",
          *DATE_FIELDS, "amount", "gender")
W = "warning"


@dataclass(frozen=True)
class Case:
    """One labelled cell.

    Attributes:
        field: schema field the raw text is in.
        raw: the cell as read (text; real date cells arrive as ISO text).
        expected: output column -> canonical value (None: empty).
        codes: issue codes the value must raise; () means valid, no issue at all.
        severity: severity of those issues.
        row: other cells of the same row (birth date and gender beside an ID).
        column: cases with the same column share one sheet column (context).
        suggestion: the fix an issue must offer (e-mail typos).
        origin: "hand" or "generated".
        note: why the case is tricky.
    """

    field: str
    raw: str
    expected: dict[str, str | None]
    codes: tuple[str, ...] = ()
    severity: str = W
    row: dict[str, str] = field(default_factory=dict)
    column: str = ""
    suggestion: str | None = None
    origin: str = "hand"
    note: str = ""

    @property
    def valid(self) -> bool:
        return not self.codes


def ok(field_: str, raw: str, note: str = "", *, row: dict | None = None, column: str = "",
       origin: str = "hand", **expected: str | None) -> Case:
    """A valid value: normalised to ``expected``, no issue."""
    return Case(field_, raw, expected, (), W, row or {}, column, None, origin, note)


def bad(field_: str, raw: str, codes: str | tuple[str, ...], note: str = "", *, row: dict | None = None,
        column: str = "", suggestion: str | None = None, origin: str = "hand", **expected: str | None) -> Case:
    """A value that must be flagged with ``codes`` (kept as written unless ``expected`` says otherwise)."""
    codes = (codes,) if isinstance(codes, str) else tuple(codes)
    if not expected:
        expected = {field_: raw.strip()}
    return Case(field_, raw, expected, codes, W, row or {}, column, suggestion, origin, note)


def fullwidth(text: str) -> str:
    """ASCII letters, digits and punctuation as their full-width forms (what Chinese IMEs type)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in text)


# --------------------------------------------------------------------------- phones

_PHONE_TYPE = {PhoneNumberType.MOBILE: "mobile", PhoneNumberType.FIXED_LINE: "landline"}
_OMIT = object()  # a column the contract leaves open for this value


def phone_reference(text: str, region: str = "CN") -> tuple[str, str, object] | None:
    """(E.164, display, type) as phonenumbers reads ``text``; None when it is not a valid number."""
    try:
        num = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(num):
        return None
    cn = num.country_code == 86
    display = phonenumbers.format_number(num, PhoneNumberFormat.NATIONAL if cn else PhoneNumberFormat.INTERNATIONAL)
    kind = phonenumbers.number_type(num)
    # FIXED_LINE_OR_MOBILE (the US, Canada): the contract does not say which word to use.
    label = _OMIT if kind == PhoneNumberType.FIXED_LINE_OR_MOBILE else _PHONE_TYPE.get(kind, "other")
    return phonenumbers.format_number(num, PhoneNumberFormat.E164), display, label


def _phone(raw: str, e164: str, display: str, kind: object, alt: str | None = None, ext: str | None = None,
           note: str = "", origin: str = "hand") -> Case:
    # With an extension, whether the display form shows it is left open (phone_ext holds it).
    expected = {"phone": e164, "phone_display": _OMIT if ext else display, "phone_type": kind, "phone_2": alt,
                "phone_ext": ext}
    return ok("phone", raw, note, origin=origin, **{k: v for k, v in expected.items() if v is not _OMIT})


MOB, LAND, OTHER = "mobile", "landline", "other"
HAND_PHONES = [
    _phone("13812345678", "+8613812345678", "138 1234 5678", MOB),
    _phone("138-1234-5678", "+8613812345678", "138 1234 5678", MOB),
    _phone("138 1234 5678", "+8613812345678", "138 1234 5678", MOB),
    _phone("+86 138 1234 5678", "+8613812345678", "138 1234 5678", MOB),
    _phone("+86-138-1234-5678", "+8613812345678", "138 1234 5678", MOB),
    _phone("8613812345678", "+8613812345678", "138 1234 5678", MOB, note="country code without +"),
    _phone("0086 138 1234 5678", "+8613812345678", "138 1234 5678", MOB, note="00 international prefix"),
    _phone("(+86) 138 1234 5678", "+8613812345678", "138 1234 5678", MOB),
    _phone("１３８１２３４５６７８", "+8613812345678", "138 1234 5678", MOB, note="full-width digits"),
    _phone("１３８－１２３４－５６７８", "+8613812345678", "138 1234 5678", MOB, note="full-width dashes"),
    _phone("  13812345678  ", "+8613812345678", "138 1234 5678", MOB),
    _phone("13800138000", "+8613800138000", "138 0013 8000", MOB, note="zeros inside"),
    _phone("19912345678", "+8619912345678", "199 1234 5678", MOB, note="newer 199 prefix"),
    _phone("16612345678", "+8616612345678", "166 1234 5678", MOB),
    _phone("(021)6123-4567", "+862161234567", "021 6123 4567", LAND),
    _phone("(021) 61234567", "+862161234567", "021 6123 4567", LAND),
    _phone("021-61234567", "+862161234567", "021 6123 4567", LAND),
    _phone("02161234567", "+862161234567", "021 6123 4567", LAND, note="landline written without separators"),
    _phone("021 6123 4567", "+862161234567", "021 6123 4567", LAND),
    _phone("+86 21 6123 4567", "+862161234567", "021 6123 4567", LAND),
    _phone("86-21-61234567", "+862161234567", "021 6123 4567", LAND),
    _phone("０２１－６１２３４５６７", "+862161234567", "021 6123 4567", LAND),
    _phone("010-6123 4567", "+861061234567", "010 6123 4567", LAND),
    _phone("0755-86001234", "+8675586001234", "0755 8600 1234", LAND, note="4-digit area code"),
    _phone("0351-6123456", "+863516123456", "0351 612 3456", LAND, note="7-digit local number (Taiyuan)"),
    _phone("0871-61234567", "+8687161234567", "0871 6123 4567", LAND),
    _phone("021-61234567 ext. 8", "+862161234567", "021 6123 4567", LAND, ext="8"),
    _phone("021-61234567转8", "+862161234567", "021 6123 4567", LAND, ext="8"),
    _phone("021-61234567 转 808", "+862161234567", "021 6123 4567", LAND, ext="808"),
    _phone("021-61234567 x123", "+862161234567", "021 6123 4567", LAND, ext="123"),
    _phone("0755-86001234 ext 2046", "+8675586001234", "0755 8600 1234", LAND, ext="2046"),
    _phone("+44 20 7946 0958", "+442079460958", "+44 20 7946 0958", LAND, note="London"),
    _phone("+44 (0)20 7946 0958", "+442079460958", "+44 20 7946 0958", LAND, note="UK (0) trunk prefix"),
    _phone("0044 20 7946 0958", "+442079460958", "+44 20 7946 0958", LAND),
    _phone("+852 9123 4567", "+85291234567", "+852 9123 4567", MOB, note="Hong Kong mobile"),
    _phone("00852 2123 4567", "+85221234567", "+852 2123 4567", LAND, note="Hong Kong landline, 00 prefix"),
    _phone("+853 6612 3456", "+85366123456", "+853 6612 3456", MOB, note="Macau"),
    _phone("+886 912 345 678", "+886912345678", "+886 912 345 678", MOB, note="Taiwan mobile"),
    _phone("+886 2 2345 6789", "+886223456789", "+886 2 2345 6789", LAND),
    _phone("+65 6123 4567", "+6561234567", "+65 6123 4567", LAND, note="Singapore"),
    _phone("+1 (212) 555-1234", "+12125551234", "+1 212-555-1234", _OMIT, note="US: type left open"),
    _phone("+1 415 555 2671", "+14155552671", "+1 415-555-2671", _OMIT),
    _phone("+81 90-1234-5678", "+819012345678", "+81 90-1234-5678", MOB, note="Japan mobile"),
    _phone("+61 412 345 678", "+61412345678", "+61 412 345 678", MOB, note="Australia mobile"),
    _phone("+49 30 12345678", "+493012345678", "+49 30 12345678", LAND, note="Berlin"),
    _phone("+33 6 12 34 56 78", "+33612345678", "+33 6 12 34 56 78", MOB, note="France mobile"),
    _phone("400-123-4567", "+864001234567", "400 123 4567", OTHER, note="400 service number: valid, other"),
    _phone("13812345678/13987654321", "+8613812345678", "138 1234 5678", MOB, alt="+8613987654321"),
    _phone("13812345678 / 13987654321", "+8613812345678", "138 1234 5678", MOB, alt="+8613987654321"),
    _phone("13812345678; 021-61234567", "+8613812345678", "138 1234 5678", MOB, alt="+862161234567"),
    _phone("13812345678、13987654321", "+8613812345678", "138 1234 5678", MOB, alt="+8613987654321"),
    _phone("13812345678\n13987654321", "+8613812345678", "138 1234 5678", MOB, alt="+8613987654321"),
    _phone("13812345678，13987654321", "+8613812345678", "138 1234 5678", MOB, alt="+8613987654321",
           note="full-width comma"),
    _phone("13812345678；13987654321", "+8613812345678", "138 1234 5678", MOB, alt="+8613987654321"),
    _phone("13812345678, 13987654321, 13700001111", "+8613812345678", "138 1234 5678", MOB,
           alt="+8613987654321; +8613700001111", note="three numbers"),
    _phone("021-61234567 / 13812345678", "+862161234567", "021 6123 4567", LAND, alt="+8613812345678",
           note="the first number written is the primary"),
    _phone("138-1234-5678 / +44 20 7946 0958", "+8613812345678", "138 1234 5678", MOB, alt="+442079460958"),
    bad("phone", "12345678901", "invalid-phone", "11 digits but no mobile prefix 12x"),
    bad("phone", "1381234567", "invalid-phone", "mobile one digit short"),
    bad("phone", "138123456789", "invalid-phone", "mobile one digit long"),
    bad("phone", "+86 138 1234 567", "invalid-phone"),
    bad("phone", "000-0000", "invalid-phone"),
    bad("phone", "0000000000", "invalid-phone"),
    bad("phone", "10086", "invalid-phone", "a service short code, not a customer's number"),
    bad("phone", "61234567", "invalid-phone", "landline without its area code cannot be dialled"),
    bad("phone", "021-6123456", "invalid-phone", "Shanghai numbers have 8 digits"),
    bad("phone", "0571-8888888", "invalid-phone", "Hangzhou numbers have 8 digits"),
    bad("phone", "23812345678", "invalid-phone"),
    bad("phone", "1.38123E+10", "invalid-phone", "Excel turned the number into scientific notation"),
    bad("phone", "+44 20 7946 095", "invalid-phone", "UK number one digit short"),
    bad("phone", "+44 7700 900123", "invalid-phone", "Ofcom drama range, not a real number"),
]


# --------------------------------------------------------------------------- e-mails

def _email(raw: str, email: str, alt: str | None = None, note: str = "", origin: str = "hand") -> Case:
    return ok("email", raw, note, origin=origin, email=email, email_2=alt)


def _typo(raw: str, suggestion: str, note: str = "", origin: str = "hand") -> Case:
    as_written = unicodedata.normalize("NFKC", raw).strip().lower()
    return bad("email", raw, "email-typo", note, suggestion=suggestion, origin=origin, email=as_written)


HAND_EMAILS = [
    _email("zhang@qq.com", "zhang@qq.com"),
    _email(" Zhang.Wei@Gmail.com ", "zhang.wei@gmail.com"),
    _email("LI.NA@163.COM", "li.na@163.com"),
    _email("mailto:li@163.com", "li@163.com"),
    _email("MAILTO:Li@163.com", "li@163.com"),
    _email("ｚｈａｎｇ＠ｑｑ．ｃｏｍ", "zhang@qq.com", note="full-width"),
    _email("zhang＠qq.com", "zhang@qq.com", note="full-width @"),
    _email("12345678@qq.com", "12345678@qq.com", note="QQ number as local part"),
    _email("800123456@QQ.com", "800123456@qq.com"),
    _email("zhang.wei+crm@gmail.com", "zhang.wei+crm@gmail.com", note="plus-addressing"),
    _email("john.smith@ox.ac.uk", "john.smith@ox.ac.uk"),
    _email("amy@bbc.co.uk", "amy@bbc.co.uk"),
    _email("li_na-88@mail.tsinghua.edu.cn", "li_na-88@mail.tsinghua.edu.cn", note="subdomain, .edu.cn"),
    _email("wang@pku.edu.cn", "wang@pku.edu.cn"),
    _email("info@xingchen.com.cn", "info@xingchen.com.cn"),
    _email("sales@bj.xingchen.com.cn", "sales@bj.xingchen.com.cn"),
    _email("o'brien@eircom.net", "o'brien@eircom.net", note="apostrophe is allowed"),
    _email("a@b.io", "a@b.io"),
    _email("kevin@ymail.com", "kevin@ymail.com", note="real Yahoo domain, not a typo"),
    _email("hans@gmx.com", "hans@gmx.com", note="real, not a typo of gmail"),
    _email("wang@yeah.net", "wang@yeah.net", note="NetEase"),
    _email("li@vip.qq.com", "li@vip.qq.com"),
    _email("chen@vip.163.com", "chen@vip.163.com"),
    _email("zhao@163.net", "zhao@163.net", note="a real mail domain beside 163.com"),
    _email("amy@hotmail.co.uk", "amy@hotmail.co.uk"),
    _email("tom@yahoo.co.uk", "tom@yahoo.co.uk", note="not the yahoo.co typo"),
    _email("lin@live.cn", "lin@live.cn"),
    _email("xu@sina.cn", "xu@sina.cn", note="sina.cn is real"),
    _email("he@sina.com.cn", "he@sina.com.cn"),
    _email("ma@139.com", "ma@139.com"),
    _email("chan@yahoo.com.hk", "chan@yahoo.com.hk", note="a provider's real regional domain (issue 15)"),
    _email("chan@yahoo.com.tw", "chan@yahoo.com.tw", note="a provider's real regional domain (issue 15)"),
    _email("chan@yahoo.com.sg", "chan@yahoo.com.sg", note="a provider's real regional domain (issue 15)"),
    _email("chan@yahoo.co.jp", "chan@yahoo.co.jp", note="a provider's real regional domain (issue 15)"),
    _email("chan@hotmail.co.jp", "chan@hotmail.co.jp", note="a provider's real regional domain (issue 15)"),
    _email("hu@189.cn", "hu@189.cn"),
    _email("guo@21cn.com", "guo@21cn.com"),
    _email("song@foxmail.com", "song@foxmail.com"),
    _email("tang@aliyun.com", "tang@aliyun.com"),
    _email("zhang@qq.com; li@163.com", "zhang@qq.com", "li@163.com"),
    _email("zhang@qq.com,li@163.com", "zhang@qq.com", "li@163.com"),
    _email("zhang@qq.com / li@163.com", "zhang@qq.com", "li@163.com"),
    _email("zhang@qq.com\nli@163.com", "zhang@qq.com", "li@163.com"),
    _email("zhang@qq.com；li@163.com", "zhang@qq.com", "li@163.com"),
    _email("zhang@qq.com、Li@163.com", "zhang@qq.com", "li@163.com"),
    _email("a@qq.com; b@163.com; c@126.com", "a@qq.com", "b@163.com; c@126.com", note="three addresses"),
    _typo("zhang@gmial.com", "zhang@gmail.com"),
    _typo("Zhang@Gmial.com", "zhang@gmail.com", "value lower-cased but not corrected"),
    _typo("zhang@gmai.com", "zhang@gmail.com"),
    _typo("zhang@gamil.com", "zhang@gmail.com"),
    _typo("zhang@gmail.con", "zhang@gmail.com"),
    _typo("li@163.con", "li@163.com"),
    _typo("li@163.cm", "li@163.com"),
    _typo("12345678@qq.cm", "12345678@qq.com"),
    _typo("12345678@qq.con", "12345678@qq.com"),
    _typo("wang@hotmial.com", "wang@hotmail.com"),
    _typo("wang@hotmai.com", "wang@hotmail.com"),
    _typo("chen@126.cm", "chen@126.com"),
    _typo("amy@yahoo.co", "amy@yahoo.com"),
    _typo("amy@outlok.com", "amy@outlook.com"),
    _typo("song@foxmial.com", "song@foxmail.com"),
    _typo("xu@sina.con", "xu@sina.com"),
    bad("email", "zhang@", "invalid-email"),
    bad("email", "zhang.qq.com", "invalid-email", "no @"),
    bad("email", "zhangqq.com", "invalid-email"),
    bad("email", "zhang@@qq.com", "invalid-email"),
    bad("email", "zhang@qq", "invalid-email", "no top-level domain"),
    bad("email", "zhang@163", "invalid-email"),
    bad("email", "zhang wei@qq.com", "invalid-email", "space inside"),
    bad("email", "zhang@qq..com", "invalid-email"),
    bad("email", ".zhang@qq.com", "invalid-email"),
    bad("email", "zhang.@qq.com", "invalid-email"),
    bad("email", "zhang..wei@qq.com", "invalid-email"),
    bad("email", "@qq.com", "invalid-email"),
    bad("email", "zhang@-qq.com", "invalid-email"),
    bad("email", "微信同号", "invalid-email", "a note, not an address"),
]


# --------------------------------------------------------------------------- names

def _name(raw: str, name: str, key: str, pinyin: str | None | object = _OMIT, title: str | None = None,
          note: str = "", origin: str = "hand") -> Case:
    expected = {"name": name, "name_title": title, "name_key": key, "name_pinyin": pinyin}
    return ok("name", raw, note, origin=origin, **{k: v for k, v in expected.items() if v is not _OMIT})


_LONG_OK = "Maximilian Alexander Friedrich Wilhelm Karl Ludwig Georg Heinrich Ernst von Hohenzollern-Sigmaringen"
_LONG_BAD = "张伟（" + "备注：该客户于二零二三年在展会上留下名片，之后多次电话联系，" * 4 + "）"
assert len(_LONG_OK) == 100 < len(_LONG_BAD)
HAND_NAMES = [
    _name("张伟", "张伟", "张伟", "zhang wei"),
    _name("张 伟", "张伟", "张伟", "zhang wei", note="space inside a Chinese name"),
    _name("张　伟", "张伟", "张伟", "zhang wei", note="ideographic space"),
    _name("  张伟  ", "张伟", "张伟", "zhang wei"),
    _name("張偉", "張偉", "张伟", "zhang wei", note="Traditional: display as written, key Simplified"),
    _name("陳麗華", "陳麗華", "陈丽华", "chen lihua"),
    _name("劉德華", "劉德華", "刘德华", "liu dehua"),
    _name("黃小華", "黃小華", "黄小华", "huang xiaohua"),
    _name("鄭秀文", "鄭秀文", "郑秀文", "zheng xiuwen"),
    _name("王芳", "王芳", "王芳", "wang fang", note="one-character given name"),
    _name("李娜", "李娜", "李娜", "li na"),
    _name("王小明", "王小明", "王小明", "wang xiaoming"),
    _name("欧阳娜娜", "欧阳娜娜", "欧阳娜娜", "ouyang nana", note="compound surname"),
    _name("欧阳 娜娜", "欧阳娜娜", "欧阳娜娜", "ouyang nana"),
    _name("歐陽娜娜", "歐陽娜娜", "欧阳娜娜", "ouyang nana"),
    _name("司马光", "司马光", "司马光", "sima guang"),
    _name("司马 光", "司马光", "司马光", "sima guang"),
    _name("诸葛亮", "诸葛亮", "诸葛亮", "zhuge liang"),
    _name("上官云", "上官云", "上官云", "shangguan yun"),
    _name("司徒浩", "司徒浩", "司徒浩", "situ hao"),
    _name("慕容雪", "慕容雪", "慕容雪", "murong xue"),
    _name("曾国藩", "曾国藩", "曾国藩", "zeng guofan", note="surname reading zeng, not ceng"),
    _name("曾小明", "曾小明", "曾小明", "zeng xiaoming"),
    _name("单田芳", "单田芳", "单田芳", "shan tianfang", note="surname reading shan, not dan"),
    _name("解晓东", "解晓东", "解晓东", "xie xiaodong", note="surname reading xie, not jie"),
    _name("仇建国", "仇建国", "仇建国", "qiu jianguo", note="surname reading qiu, not chou"),
    _name("张伟先生", "张伟", "张伟", "zhang wei", "先生"),
    _name("张伟 先生", "张伟", "张伟", "zhang wei", "先生"),
    _name("王总", "王", "王", "wang", "总", note="surname plus title only"),
    _name("李老师", "李", "李", "li", "老师"),
    _name("陈女士", "陈", "陈", "chen", "女士"),
    _name("欧阳先生", "欧阳", "欧阳", "ouyang", "先生"),
    _name("陳先生", "陳", "陈", "chen", "先生"),
    _name("刘芳女士", "刘芳", "刘芳", "liu fang", "女士"),
    _name("阿依古丽·买买提", "阿依古丽·买买提", "阿依古丽买买提", note="minority name with middle dot"),
    _name("John Smith", "John Smith", "johnsmith", "john smith"),
    _name("john  smith", "john smith", "johnsmith", "john smith", note="inner run of spaces"),
    _name("Ｊｏｈｎ　Ｓｍｉｔｈ", "Ｊｏｈｎ Ｓｍｉｔｈ", "johnsmith", "john smith",
          note="full-width: shown as written, the key folds (issue 15)"),
    _name("Ｍｒ．　Ｊｏｈｎ　Ｓｍｉｔｈ", "John Smith", "johnsmith", "john smith", "Mr.",
          note="a title only folding shows: the folded reading"),
    _name("Mr. John Smith", "John Smith", "johnsmith", "john smith", "Mr."),
    _name("Mr.John Smith", "John Smith", "johnsmith", "john smith", "Mr."),
    _name("Dr. Li Na", "Li Na", "lina", "li na", "Dr."),
    _name("Ms. Wang Fang", "Wang Fang", "wangfang", "wang fang", "Ms."),
    _name("Mrs. Smith", "Smith", "smith", "smith", "Mrs."),
    _name("Miss Chen", "Chen", "chen", "chen", "Miss"),
    _name("Prof. Zhang San", "Zhang San", "zhangsan", "zhang san", "Prof."),
    _name("Zhang Wei", "Zhang Wei", "zhangwei", "zhang wei"),
    _name("ZHANG Wei", "ZHANG Wei", "zhangwei", "zhang wei"),
    _name("Wei Zhang", "Wei Zhang", "weizhang", "wei zhang", note="written order kept"),
    _name("Kevin Zhang", "Kevin Zhang", "kevinzhang", "kevin zhang"),
    _name("Sean O'Brien", "Sean O'Brien", "seanobrien", note="apostrophe"),
    _name("Jean-Luc Picard", "Jean-Luc Picard", "jeanlucpicard", note="hyphen"),
    _name("Drew Barrymore", "Drew Barrymore", "drewbarrymore", "drew barrymore", note="Dr without a dot is a name"),
    _name("Missy Elliott", "Missy Elliott", "missyelliott", "missy elliott", note="starts like Miss"),
    _name("Mrinal Sen", "Mrinal Sen", "mrinalsen", "mrinal sen", note="starts like Mr"),
    ok("name", _LONG_OK, "a long but legal name (100 characters)", name=_LONG_OK),
    bad("name", _LONG_BAD, "long-name", "a note pasted into the name cell",
        name=_LONG_BAD),  # kept as written, full-width punctuation too (issue 15)
]


# --------------------------------------------------------------------------- companies

def _company(raw: str, key: str, display: str | None | object = _OMIT, note: str = "",
             origin: str = "hand") -> Case:
    display = raw.strip() if display is _OMIT else display
    expected = {"company": display, "company_key": key}
    return ok("company", raw, note, origin=origin, **{k: v for k, v in expected.items() if v is not _OMIT})


HAND_COMPANIES = [
    _company("上海星辰科技有限公司", "上海星辰科技"),
    _company("北京华宇有限责任公司", "北京华宇"),
    _company("深圳市腾达电子股份有限公司", "深圳市腾达电子"),
    _company("杭州阿狸集团有限公司", "杭州阿狸集团", note="集团 is part of the name, not a legal form (issue 15)"),
    _company("杭州阿狸集团", "杭州阿狸集团"),
    _company("花果山股份公司", "花果山", note="股份公司 is one legal form (issue 15)"),
    _company("花果山股份有限公司", "花果山"),
    _company("上海某某贸易(有限公司)", "上海某某贸易", note="legal form in brackets (issue 15)"),
    _company("上海某某贸易（有限责任公司）", "上海某某贸易", note="full-width brackets"),
    _company("深圳某某投资中心（有限合伙）", "深圳某某投资中心", note="a partnership's form"),
    _company("Sunrise Foods Pty Ltd", "sunrisefoods"),
    _company("上海星辰科技北京分公司", "上海星辰科技北京"),
    _company("腾讯科技（深圳）有限公司", "腾讯科技深圳", note="full-width brackets, shown as written (issue 15)"),
    _company("中国平安保险(集团)股份有限公司", "中国平安保险集团"),
    _company(" 上海星辰科技有限公司 ", "上海星辰科技"),
    _company("Acme Co., Ltd.", "acme"),
    _company("ACME CO.,LTD.", "acme"),
    _company("Acme Inc.", "acme"),
    _company("Acme, Inc.", "acme"),
    _company("Acme LLC", "acme"),
    _company("Acme Corp.", "acme"),
    _company("Acme Ltd", "acme"),
    _company("Siemens GmbH", "siemens"),
    _company("Apple Inc.", "apple"),
    _company("Acme Trading Co., Ltd.", "acmetrading"),
    _company("Incubator Labs", "incubatorlabs", note="starts like Inc"),
    _company("Coca-Cola", "cocacola", note="starts like Co"),
    _company("Corporate Travel Services Ltd.", "corporatetravelservices", note="starts like Corp"),
    _company("Costco Wholesale Corp.", "costcowholesale"),
    _company("Ｌｅｎｏｖｏ", "lenovo", note="full-width: shown as written, the key folds"),
]


# --------------------------------------------------------------------------- IDs

def make_ric(region: str, birth: str, seq: int) -> str:
    """A 居民身份证号 with its ISO 7064 check digit (python-stdnum computes it)."""
    body = f"{region}{birth}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def _id(raw: str, canonical: str, note: str = "", row: dict | None = None, origin: str = "hand") -> Case:
    return ok("id_number", raw, note, row=row, origin=origin, id_number=canonical)


_ID_F = "11010519491231002X"   # the standard's own example: female (002 is even), born 1949-12-31
_ID_M = make_ric("440305", "19900307", 123)  # male (123 is odd)
HAND_IDS = [
    _id(_ID_F, _ID_F, "check digit X"),
    _id(_ID_F.lower(), _ID_F, "lower-case x"),
    _id("110105 19491231 002X", _ID_F, "grouped with spaces"),
    _id(fullwidth(_ID_F), _ID_F, "full-width"),
    _id(_ID_M, _ID_M),
    _id(make_ric("310104", "20000229", 456), make_ric("310104", "20000229", 456), "born on a leap day"),
    _id(_ID_F, _ID_F, "birth date and gender agree", row={"birth_on": "1949-12-31", "gender": "女"}),
    _id(_ID_M, _ID_M, "agree (other spellings)", row={"birth_on": "1990/3/7", "gender": "男"}),
    bad("id_number", _ID_F[:-1] + "3", "invalid-id-number", "wrong check digit"),
    bad("id_number", _ID_M[:-1] + ("0" if _ID_M[-1] != "0" else "1"), "invalid-id-number", "wrong check digit"),
    bad("id_number", make_ric("110105", "19990230", 12), "invalid-id-number", "check digit right, 30 February"),
    bad("id_number", make_ric("110105", "19001301", 12), "invalid-id-number", "month 13"),
    bad("id_number", make_ric("110105", "20300101", 12), "invalid-id-number", "born after the as-of date"),
    bad("id_number", _ID_F[:17], "invalid-id-number", "17 characters"),
    bad("id_number", "110105491231002", "invalid-id-number", "old 15-digit number"),
    bad("id_number", _ID_F, "id-birth-mismatch", "ID says born 1949-12-31", row={"birth_on": "1950-12-31"},
        id_number=_ID_F),
    bad("id_number", _ID_F, "id-gender-mismatch", "ID says female", row={"gender": "男"}, id_number=_ID_F),
    bad("id_number", _ID_M, "id-gender-mismatch", "ID says male", row={"gender": "female"}, id_number=_ID_M),
]


# --------------------------------------------------------------------------- credit codes

_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z


def _org_check(code8: str) -> str:
    """GB 11714 check character of an organisation code (characters 9-17 of a credit code)."""
    total = sum(int(c, 36) * w for c, w in zip(code8, (3, 7, 9, 10, 5, 8, 4, 2)))
    c9 = 11 - total % 11
    return {10: "X", 11: "0"}.get(c9, str(c9))


def make_uscc(prefix: str, region: str, org8: str) -> str:
    """A 统一社会信用代码 with both check characters (organisation code and GB 32100)."""
    body = f"{prefix}{region}{org8}{_org_check(org8)}"
    return body + uscc.calc_check_digit(body)


_USCC = "91110000600037341L"  # python-stdnum's own example
_USCC2 = make_uscc("91", "310115", "MA1K3Y8F")
HAND_CREDIT = [
    ok("credit_code", _USCC, credit_code=_USCC),
    ok("credit_code", _USCC.lower(), "lower case", credit_code=_USCC),
    ok("credit_code", f" {_USCC} ", credit_code=_USCC),
    ok("credit_code", _USCC2, "new-style MA organisation code", credit_code=_USCC2),
    ok("credit_code", fullwidth(_USCC2), "full-width", credit_code=_USCC2),
    bad("credit_code", _USCC[:-1] + "M", "invalid-credit-code", "wrong check character"),
    bad("credit_code", _USCC[:-1], "invalid-credit-code", "17 characters"),
    bad("credit_code", _USCC.replace("0", "O", 1), "invalid-credit-code", "letter O for zero"),
    bad("credit_code", "310115000123456", "invalid-credit-code", "old 15-digit registration number"),
    bad("credit_code", "91110000600037341", "invalid-credit-code"),
]


# --------------------------------------------------------------------------- addresses and postcodes

def _addr(raw: str, province: str | None, city: str | None, district: str | None, note: str = "",
          row: dict | None = None, address: str | None = None, origin: str = "hand") -> Case:
    address = " ".join(raw.split()) if address is None else address  # as written (issue 15)
    return ok("address", raw, note, row=row, origin=origin, address=address, province=province, city=city,
              district=district)


HAND_ADDRESSES = [
    _addr("上海市浦东新区张江路88号", "上海市", "上海市", "浦东新区"),
    _addr("广东省深圳市南山区科技园南路88号", "广东省", "深圳市", "南山区"),
    _addr("浙江杭州西湖区文三路100号", "浙江省", "杭州市", "西湖区", "short province and city"),
    _addr("北京市朝阳区建国路88号SOHO现代城", "北京市", "北京市", "朝阳区"),
    _addr("重庆市渝中区解放碑八一路1号", "重庆市", "重庆市", "渝中区"),
    _addr("四川省成都市武侯区天府大道北段1700号", "四川省", "成都市", "武侯区"),
    _addr("广州市天河区体育西路103号", "广东省", "广州市", "天河区", "province implied by the city"),
    _addr("上海黄浦区南京东路100号", "上海市", "上海市", "黄浦区", "南京 here is a road, not the city"),
    _addr("上海市静安区北京西路1号", "上海市", "上海市", "静安区", "北京 here is a road"),
    _addr("天津市和平区南京路189号", "天津市", "天津市", "和平区"),
    _addr("吉林省吉林市船营区北京路1号", "吉林省", "吉林市", "船营区", "province and city share a name"),
    _addr("新疆乌鲁木齐市天山区解放南路1号", "新疆维吾尔自治区", "乌鲁木齐市", "天山区"),
    _addr("广西南宁市青秀区民族大道100号", "广西壮族自治区", "南宁市", "青秀区"),
    _addr("内蒙古自治区呼和浩特市新城区新华大街1号", "内蒙古自治区", "呼和浩特市", "新城区"),
    _addr("上海市浦东新区张江路８８号", "上海市", "上海市", "浦东新区", "full-width digits: shown as written"),
    _addr("221B Baker Street, London NW1 6XE, UK", None, None, None, "international: kept as written"),
    _addr("1600 Amphitheatre Parkway, Mountain View, CA 94043, USA", None, None, None),
    _addr("Flat 5, 12/F, 1 Queen's Road Central, Hong Kong", None, None, None),
    ok("address", "深圳市南山区科技园南路88号", "the row's own province and city are kept",
       row={"province": "广东", "city": "深圳"}, address="深圳市南山区科技园南路88号", province="广东", city="深圳"),
]

HAND_POSTCODES = [
    ok("postcode", "200120", postcode="200120"),
    ok("postcode", "100020", postcode="100020"),
    ok("postcode", "010010", "leading zero (Hohhot)", postcode="010010"),
    ok("postcode", "２００１２０", "full-width", postcode="200120"),
    ok("postcode", " 518057 ", postcode="518057"),
    bad("postcode", "20012", "invalid-postcode", "5 digits"),
    bad("postcode", "10010", "invalid-postcode", "leading zero lost by Excel"),
    bad("postcode", "2001200", "invalid-postcode", "7 digits"),
    bad("postcode", "ABC123", "invalid-postcode"),
]


# --------------------------------------------------------------------------- dates (per column)

def _iso(d: dt.date) -> str:
    return d.isoformat()


def _serial(d: dt.date) -> str:
    return str((d - dt.date(1899, 12, 30)).days)


def _date_col(field_: str, column: str, entries: list[tuple]) -> list[Case]:
    """One column of dates: (raw, ISO) valid; (raw, None, code[, ISO]) flagged (kept as written unless ISO)."""
    out = []
    for entry in entries:
        raw, iso, *rest = entry
        if not rest:
            out.append(ok(field_, raw, column=column, **{field_: iso}))
        else:
            value = rest[1] if len(rest) > 1 else raw.strip()
            out.append(bad(field_, raw, rest[0], column=column, **{field_: value}))
    return out


HAND_DATES = [
    *_date_col("order_date", "hand-ymd", [
        ("2023/1/5", "2023-01-05"), ("2023-01-05", "2023-01-05"), ("2023年1月5日", "2023-01-05"),
        ("2023.1.5", "2023-01-05"), ("20230105", "2023-01-05"), ("45000", "2023-03-15"),
        ("45000.5", "2023-03-15"), ("2023-01-05 14:30:00", "2023-01-05"), ("2023-1-5", "2023-01-05"),
        ("2023 年 1 月 5 日", "2023-01-05"), ("２０２３/１/５", "2023-01-05"), ("2023年01月05日", "2023-01-05"),
        ("2023年1月5号", "2023-01-05"), ("2024/2/29", "2024-02-29"), ("2026-11-24", "2026-11-24"),
        ("2023-02-30", None, "invalid-date"), ("2023-13-01", None, "invalid-date"),
        ("2023/2/29", None, "invalid-date"), ("2023年13月1日", None, "invalid-date"),
        ("待定", None, "invalid-date"), ("下周一", None, "invalid-date"),
        ("2030/5/1", None, "future-date", "2030-05-01"), ("50000", None, "future-date", "2036-11-21"),
    ]),
    *_date_col("created_on", "hand-dmy", [
        ("25.12.2023", "2023-12-25"), ("05.01.2023", "2023-01-05"), ("03/04/2023", "2023-04-03"),
        ("1/5/23", "2023-05-01"), ("13/02/2023", "2023-02-13"), ("2023-06-01", "2023-06-01"),
        ("31/04/2023", None, "invalid-date"), ("2026-11-25", None, "future-date", "2026-11-25"),
    ]),
    *_date_col("last_contact_on", "hand-mdy", [
        ("12/25/2023", "2023-12-25"), ("1/5/23", "2023-01-05"), ("03/04/2023", "2023-03-04"),
        ("2/29/2024", "2024-02-29"), ("2/30/2024", None, "invalid-date"),
        ("2027-01-01", None, "future-date", "2027-01-01"),
    ]),
    *_date_col("last_contact_on", "hand-ambiguous", [
        ("03/04/2023", None, "ambiguous-date"), ("05/06/2022", None, "ambiguous-date"),
        ("1/5/23", None, "ambiguous-date"), ("05/05/2023", "2023-05-05"), ("2024-03-01", "2024-03-01"),
        ("2026-11-24", "2026-11-24"), ("2026-11-25", None, "future-date", "2026-11-25"),
    ]),
    *_date_col("birth_on", "hand-birth", [
        ("1900-01-01", "1900-01-01"), ("1985年3月15日", "1985-03-15"), ("19850315", "1985-03-15"),
        ("31048", "1985-01-01"), ("1990/1/1", "1990-01-01"), ("3/15/85", "1985-03-15"),
        ("1899-12-31", None, "implausible-birth-date", "1899-12-31"),
        ("1850-06-01", None, "implausible-birth-date", "1850-06-01"),
        ("2027-03-01", None, "implausible-birth-date", "2027-03-01"),
        ("1900-02-29", None, "invalid-date"),
    ]),
]


# --------------------------------------------------------------------------- amounts (per column)

def _amount(raw: str, amount: str, currency: str | None = None, column: str = "amount", note: str = "",
            origin: str = "hand") -> Case:
    return ok("amount", raw, note, column=column, origin=origin, amount=amount, amount_currency=currency)


HAND_AMOUNTS = [
    _amount("1280", "1280"), _amount("1,280", "1280"), _amount("¥1,280.00", "1280", "CNY"),
    _amount("￥99.90", "99.9", "CNY"), _amount("RMB 1,000", "1000", "CNY"), _amount("1000元", "1000", "CNY"),
    _amount("人民币500", "500", "CNY"), _amount("CNY 88.50", "88.5", "CNY"), _amount("1.5万", "15000"),
    _amount("1.5万元", "15000", "CNY"), _amount("2万", "20000"), _amount("3.25万", "32500"),
    _amount("(1,000)", "-1000", note="accounting negative"), _amount("-200", "-200"),
    _amount("退款200", "-200", note="refund"), _amount("退款 ¥200", "-200", "CNY"),
    _amount("$1,234.56", "1234.56", "USD"), _amount("US$100", "100", "USD"), _amount("USD 50", "50", "USD"),
    _amount("HK$1,000", "1000", "HKD"), _amount("HKD 300", "300", "HKD"), _amount("£20", "20", "GBP"),
    _amount("GBP 19.99", "19.99", "GBP"), _amount("EUR 15", "15", "EUR"), _amount("€15", "15", "EUR"),
    _amount("0", "0"), _amount("0.50", "0.5"), _amount("1,234,567.89", "1234567.89"),
    _amount(" 1280 ", "1280"), _amount("１２８０", "1280", note="full-width"), _amount("12.30", "12.3"),
    _amount("1280.0", "1280"), _amount("¥-50", "-50", "CNY"),
    bad("amount", "面议", "invalid-amount", "negotiable", column="amount"),
    bad("amount", "待定", "invalid-amount", column="amount"),
    bad("amount", "1.2.3", "invalid-amount", column="amount"),
    bad("amount", "1000-2000", "invalid-amount", "a range", column="amount"),
    bad("amount", "500~800", "invalid-amount", "a range", column="amount"),
    bad("amount", "TBD", "invalid-amount", column="amount"),
    bad("amount", "abc", "invalid-amount", column="amount"),
    # A column written with a decimal comma (European-locale Excel).
    _amount("99,00", "99", column="amount-eu"), _amount("1.234,50", "1234.5", column="amount-eu"),
    _amount("12,5", "12.5", column="amount-eu"), _amount("€99,90", "99.9", "EUR", column="amount-eu"),
    _amount("1.000", "1000", column="amount-eu", note="thousands dot in a decimal-comma column"),
    _amount("0,99", "0.99", column="amount-eu"),
]


# --------------------------------------------------------------------------- gender

HAND_GENDER = [
    *[ok("gender", raw, gender="male") for raw in ("男", "M", "m", "male", "Male", "MALE", "先生", "男性",
                                                   " 男 ", "Ｍ")],
    *[ok("gender", raw, gender="female") for raw in ("女", "F", "f", "female", "Female", "FEMALE", "女士",
                                                     "女性", "女 ")],
    *[bad("gender", raw, "invalid-gender") for raw in ("未知", "unknown", "X", "其他", "保密", "男女")],
]


# =========================================================================== generated

_SURNAMES = [("王", "wang", None), ("李", "li", None), ("张", "zhang", "張"), ("刘", "liu", "劉"),
             ("陈", "chen", "陳"), ("杨", "yang", "楊"), ("黄", "huang", "黃"), ("赵", "zhao", "趙"),
             ("吴", "wu", "吳"), ("周", "zhou", None), ("徐", "xu", None), ("孙", "sun", "孫"),
             ("马", "ma", "馬"), ("朱", "zhu", None), ("胡", "hu", None), ("郭", "guo", None),
             ("何", "he", None), ("林", "lin", None), ("罗", "luo", "羅"), ("高", "gao", None),
             ("郑", "zheng", "鄭"), ("梁", "liang", None), ("谢", "xie", "謝"), ("宋", "song", None),
             ("唐", "tang", None), ("许", "xu", "許"), ("韩", "han", "韓"), ("冯", "feng", "馮"),
             ("邓", "deng", "鄧"), ("曹", "cao", None), ("彭", "peng", None), ("曾", "zeng", None),
             ("萧", "xiao", "蕭"), ("田", "tian", None), ("董", "dong", None), ("潘", "pan", None),
             ("袁", "yuan", None), ("蔡", "cai", None), ("蒋", "jiang", "蔣"), ("杜", "du", None),
             ("叶", "ye", "葉"), ("程", "cheng", None), ("魏", "wei", None), ("苏", "su", "蘇"),
             ("欧阳", "ouyang", "歐陽"), ("司马", "sima", "司馬"), ("诸葛", "zhuge", "諸葛"),
             ("上官", "shangguan", None), ("司徒", "situ", None), ("慕容", "murong", None),
             ("夏侯", "xiahou", None), ("皇甫", "huangfu", None)]
# Given-name characters with one reading, none starting with a vowel (no "xi'an" question).
_GIVEN = [("伟", "wei", "偉"), ("芳", "fang", None), ("娜", "na", None), ("敏", "min", None), ("静", "jing", "靜"),
          ("丽", "li", "麗"), ("强", "qiang", "強"), ("磊", "lei", None), ("军", "jun", "軍"), ("洋", "yang", None),
          ("勇", "yong", None), ("杰", "jie", "傑"), ("娟", "juan", None), ("涛", "tao", "濤"),
          ("明", "ming", None), ("超", "chao", None), ("秀", "xiu", None), ("霞", "xia", None), ("平", "ping", None),
          ("刚", "gang", "剛"), ("桂", "gui", None), ("华", "hua", "華"), ("玉", "yu", None), ("萍", "ping", None),
          ("红", "hong", "紅"), ("鹏", "peng", "鵬"), ("辉", "hui", "輝"), ("建", "jian", None), ("国", "guo", "國"),
          ("文", "wen", None), ("婷", "ting", None), ("雪", "xue", None), ("琳", "lin", None), ("晨", "chen", None),
          ("浩", "hao", None), ("宇", "yu", None), ("博", "bo", None), ("欣", "xin", None), ("佳", "jia", None),
          ("思", "si", None), ("梓", "zi", None), ("涵", "han", None), ("子", "zi", None), ("轩", "xuan", "軒"),
          ("嘉", "jia", None), ("俊", "jun", None), ("志", "zhi", None), ("海", "hai", None), ("峰", "feng", None),
          ("春", "chun", None), ("梅", "mei", None), ("兰", "lan", "蘭"), ("凤", "feng", "鳳"), ("云", "yun", "雲"),
          ("鑫", "xin", None), ("波", "bo", None), ("斌", "bin", None), ("宁", "ning", "寧"), ("新", "xin", None),
          ("亮", "liang", None), ("成", "cheng", None), ("龙", "long", "龍"), ("飞", "fei", "飛"),
          ("晓", "xiao", "曉"), ("小", "xiao", None), ("东", "dong", "東"), ("金", "jin", None), ("立", "li", None),
          ("天", "tian", None), ("心", "xin", None), ("诗", "shi", "詩"), ("琪", "qi", None), ("瑶", "yao", "瑤"),
          ("颖", "ying", "穎"), ("倩", "qian", None), ("蕾", "lei", None), ("璐", "lu", None), ("婉", "wan", None),
          ("慧", "hui", None), ("晶", "jing", None), ("莉", "li", None), ("楠", "nan", None), ("洁", "jie", "潔"),
          ("雯", "wen", None), ("翔", "xiang", None), ("鸿", "hong", "鴻"), ("毅", "yi", None), ("彬", "bin", None),
          ("昊", "hao", None), ("然", "ran", None), ("铭", "ming", "銘"), ("哲", "zhe", None), ("睿", "rui", None)]
_TITLES_CN = ["先生", "女士", "老师", "总"]
_FIRST = ["John", "Mary", "David", "Sarah", "Michael", "Emma", "James", "Olivia", "Robert", "Sophia", "Daniel",
          "Grace", "Kevin", "Linda", "Peter", "Susan", "Tom", "Anna", "Eric", "Helen"]
_LAST = ["Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Thomas", "Walker", "Wright",
         "Green", "Baker", "Carter", "Mitchell", "Turner"]
_TITLES_EN = ["Mr.", "Ms.", "Mrs.", "Dr.", "Prof.", "Miss"]


def _generated_names(rng: random.Random, n: int) -> list[Case]:
    out = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.72:  # a Chinese name
            sur, sur_py, sur_t = rng.choice(_SURNAMES)
            given = rng.sample(_GIVEN, rng.choice((1, 2, 2, 2)))
            simp = sur + "".join(g[0] for g in given)
            pinyin = f"{sur_py} {''.join(g[1] for g in given)}"
            written, spelling = simp, rng.random()
            if spelling < 0.15 and (sur_t or any(g[2] for g in given)):
                written = (sur_t or sur) + "".join(g[2] or g[0] for g in given)
            elif spelling < 0.25:
                written = sur + " " + simp[len(sur):]
            elif spelling < 0.30:
                written = sur + "\u3000" + simp[len(sur):]
            elif spelling < 0.38:
                written = f" {simp}  "
            display = written.strip().replace(" ", "").replace("\u3000", "")
            title = None
            if rng.random() < 0.1:  # 王总, 李老师: the surname and a title only
                title = rng.choice(_TITLES_CN)
                written = display = (sur_t if display != simp and sur_t else sur)
                simp, pinyin = sur, sur_py
            elif rng.random() < 0.1:  # 张伟先生, 刘芳 女士
                title = rng.choice(_TITLES_CN[:3])
                written = written.rstrip() + rng.choice(("", "", " "))
            out.append(_name(written + (title or ""), display, simp, pinyin, title, origin="generated"))
        else:  # a Latin-script name: pinyin or English
            if rng.random() < 0.4:
                sur, sur_py, _ = rng.choice(_SURNAMES[:44])
                given = rng.sample(_GIVEN, rng.choice((1, 2)))
                g = "".join(x[1] for x in given).capitalize()
                s = sur_py.capitalize()
                display = rng.choice((f"{s} {g}", f"{g} {s}", f"{s.upper()} {g}"))
            else:
                display = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
            title = rng.choice(_TITLES_EN) if rng.random() < 0.25 else None
            raw = f"{title} {display}" if title else display
            style = rng.random()
            if style < 0.1:
                raw = raw.replace(" ", "  ", 1) if not title else raw.replace(display, display.replace(" ", "  "))
            elif style < 0.15:
                raw = fullwidth(raw)
            elif style < 0.25:
                raw = f" {raw} "
            key = display.lower().replace(" ", "")
            shown = " ".join(raw.split()) if 0.1 <= style < 0.15 and not title else display  # full-width kept
            out.append(_name(raw, shown, key, display.lower(), title, origin="generated"))
    return out


def _pinyin_local(rng: random.Random) -> str:
    sur = rng.choice(_SURNAMES)[1]
    given = "".join(g[1] for g in rng.sample(_GIVEN, rng.choice((1, 2))))
    return rng.choice((f"{sur}{given}", f"{sur}.{given}", f"{sur}_{given}", f"{given}.{sur}",
                       f"{sur}{given}{rng.randint(1, 99)}", f"{sur[0]}{given}{rng.randint(1970, 2005)}"))


def _qq_local(rng: random.Random) -> str:
    return str(rng.randint(10_000, 99_999_999_999))


def _english_local(rng: random.Random) -> str:
    first, last = rng.choice(_FIRST).lower(), rng.choice(_LAST).lower()
    return rng.choice((f"{first}.{last}", f"{first[0]}{last}", f"{first}_{last}", f"{first}{rng.randint(1, 999)}",
                       f"{first}.{last}+shop"))


_DOMAINS = ["qq.com", "qq.com", "qq.com", "163.com", "163.com", "126.com", "gmail.com", "gmail.com", "outlook.com",
            "hotmail.com", "sina.com", "sohu.com", "foxmail.com", "yahoo.com", "aliyun.com", "139.com", "icloud.com",
            "yeah.net", "vip.qq.com", "vip.163.com", "sina.cn", "hotmail.co.uk", "yahoo.co.uk", "live.cn",
            "pku.edu.cn", "mail.tsinghua.edu.cn", "fudan.edu.cn", "ox.ac.uk", "xingchen.com.cn", "acme-trading.com",
            "huayu-tech.cn", "bbc.co.uk", "sz.gov.cn", "sales.xingchen.com.cn"]
_TYPOS = {"gmial.com": "gmail.com", "gmai.com": "gmail.com", "gamil.com": "gmail.com", "gmail.con": "gmail.com",
          "gmail.cm": "gmail.com", "163.con": "163.com", "163.cm": "163.com", "qq.cm": "qq.com",
          "qq.con": "qq.com", "qq.co": "qq.com", "126.cm": "126.com", "126.con": "126.com",
          "hotmial.com": "hotmail.com", "hotmai.com": "hotmail.com", "hotmail.con": "hotmail.com",
          "yahoo.co": "yahoo.com", "outlok.com": "outlook.com", "outlook.con": "outlook.com",
          "foxmial.com": "foxmail.com", "sina.con": "sina.com"}
_EMAIL_SEPARATORS = ["; ", ";", ", ", ",", " / ", "\n", "；", "，", "、"]


def _spell_email(rng: random.Random, addr: str) -> str:
    style = rng.random()
    if style < 0.45:
        return addr
    if style < 0.6:
        local, domain = addr.split("@")
        return f"{local.capitalize()}@{domain.capitalize()}"
    if style < 0.7:
        return addr.upper()
    if style < 0.8:
        return f"  {addr} "
    if style < 0.87:
        return f"mailto:{addr}"
    if style < 0.94:
        return addr.replace("@", "＠")
    return fullwidth(addr)


def _generated_emails(rng: random.Random, n: int) -> list[Case]:
    out = []
    for _ in range(n):
        local = rng.choice((_pinyin_local, _pinyin_local, _qq_local, _english_local))(rng)
        domain = "qq.com" if local.isdigit() and rng.random() < 0.8 else rng.choice(_DOMAINS)
        addr = f"{local}@{domain}"
        kind = rng.random()
        if kind < 0.70:
            out.append(_email(_spell_email(rng, addr), addr, origin="generated"))
        elif kind < 0.80:
            other = f"{_pinyin_local(rng)}@{rng.choice(_DOMAINS)}"
            raw = rng.choice((addr, addr.capitalize())) + rng.choice(_EMAIL_SEPARATORS) + other
            out.append(_email(raw, addr, other, origin="generated"))
        elif kind < 0.90:
            typo = rng.choice(list(_TYPOS))
            raw = f"{local}@{typo}"
            out.append(_typo(rng.choice((raw, f" {raw}", raw.capitalize())), f"{local}@{_TYPOS[typo]}",
                             origin="generated"))
        else:
            broken = rng.choice((f"{local}{domain}", f"{local}@@{domain}", f"{local}@{domain.split('.')[0]}",
                                 f"{local}@{domain.replace('.', '..', 1)}", f"{local}.@{domain}",
                                 f".{local}@{domain}", f"{local} {local[:3]}@{domain}", f"@{domain}",
                                 f"{local}#{domain}", f"{local}@-{domain}"))
            out.append(bad("email", broken, "invalid-email", origin="generated"))
    return out


_CN_MOBILE_PREFIXES = [str(p) for p in (*range(130, 140), 145, 147, 150, 151, 152, 153, 155, 156, 157, 158,
                                        159, 166, 171, 173, 175, 176, 177, 178, *range(180, 190), 191, 198, 199)]
_AREA_CODES = ["10", "20", "21", "22", "23", "24", "25", "27", "28", "29", "755", "571", "512", "731", "532",
               "591", "871", "351", "431", "451", "311", "371", "551", "898", "769", "757"]
_INTL = [("+4420", 8, "3789"), ("+447", 9, "45789"), ("+852", 8, "235679"), ("+65", 8, "689"),
         ("+1212", 7, "2345678"), ("+1415", 7, "2345678"), ("+1646", 7, "2345678"), ("+614", 8, "0123456789"),
         ("+8190", 8, "0123456789"), ("+8869", 8, "0123456789"), ("+4930", 8, "123456789"),
         ("+336", 8, "0123456789"), ("+8536", 7, "2368")]
_PHONE_SEPARATORS = ["/", " / ", "; ", ";", ", ", "、", "\n", "，", "；"]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _cn_mobile(rng: random.Random) -> tuple[str, str]:
    """(digits, a spelling) of a Chinese mobile number."""
    d = rng.choice(_CN_MOBILE_PREFIXES) + _digits(rng, 8)
    spelling = rng.choice((d, d, d, f"{d[:3]}-{d[3:7]}-{d[7:]}", f"{d[:3]} {d[3:7]} {d[7:]}",
                           f"+86 {d[:3]} {d[3:7]} {d[7:]}", f"+86{d}", f"86{d}", f"0086 {d}",
                           f"+86-{d[:3]}-{d[3:7]}-{d[7:]}", fullwidth(d), f" {d} "))
    return d, spelling


def _cn_landline(rng: random.Random) -> tuple[str, str]:
    """(national digits, a spelling) of a Chinese landline that phonenumbers accepts."""
    while True:
        area = rng.choice(_AREA_CODES)
        local = rng.choice("2345678") + _digits(rng, 7 if rng.random() < 0.8 else 6)
        if phone_reference(f"0{area}{local}"):
            break
    split = 4 if len(local) == 8 else 3
    spelling = rng.choice((f"0{area}-{local}", f"0{area}-{local}", f"(0{area}){local[:split]}-{local[split:]}",
                           f"(0{area}) {local}", f"0{area} {local[:split]} {local[split:]}", f"0{area}{local}",
                           f"+86 {area} {local}", f"86-{area}-{local}", f"0086 {area} {local}"))
    return f"0{area}{local}", spelling


def _generated_phones(rng: random.Random, n: int) -> list[Case]:
    out = []
    while len(out) < n:
        kind = rng.random()
        if kind < 0.40:
            digits, raw = _cn_mobile(rng)
            meant = "+86" + digits
        elif kind < 0.60:
            digits, raw = _cn_landline(rng)
            meant = "+86" + digits[1:]
        elif kind < 0.72:
            prefix, length, first = rng.choice(_INTL)
            e164 = prefix + rng.choice(first) + _digits(rng, length - 1)
            ref = phone_reference(e164)
            if not ref or ref[2] == "other" or phonenumbers.region_code_for_number(
                    phonenumbers.parse(e164)) in ("GG", "JE", "IM"):
                continue  # crown dependencies and pagers or VoIP ranges: not what this set is about
            intl, meant = ref[1], e164
            raw = rng.choice((intl, e164, "00" + intl[1:].replace("-", " "), intl.replace(" ", "-")))
        elif kind < 0.80:  # several numbers in one cell
            count = rng.choice((2, 2, 3))
            parts = [rng.choice((_cn_mobile, _cn_mobile, _cn_landline))(rng)[1].strip() for _ in range(count)]
            refs = [phone_reference(p) for p in parts]
            if not all(refs) or len({r[0] for r in refs}) < len(refs):
                continue
            raw = rng.choice(_PHONE_SEPARATORS).join(parts)
            e164, display, label = refs[0]
            out.append(_phone(raw, e164, display, label, alt="; ".join(r[0] for r in refs[1:]), origin="generated"))
            continue
        elif kind < 0.86:  # an extension
            _, base = _cn_landline(rng)
            ext = _digits(rng, rng.choice((1, 2, 3, 4))).lstrip("0") or "8"
            raw = base + rng.choice((" ext. ", " ext ", "转", " 转 ", " x", " EXT ")) + ext
            e164, display, label = phone_reference(base)
            out.append(_phone(raw, e164, display, label, ext=ext, origin="generated"))
            continue
        else:  # plausible but invalid
            d = rng.choice(_CN_MOBILE_PREFIXES) + _digits(rng, 8)
            raw = rng.choice((d[:10], d + rng.choice("0123456789"), "1" + rng.choice("012") + _digits(rng, 9),
                              rng.choice("2345678") + _digits(rng, 7),
                              f"0{rng.choice(_AREA_CODES[:10])}-{_digits(rng, 6)}",
                              f"{d[0]}.{d[1:6]}E+10", f"+86 {d[:10]}", "+44 7700 900" + _digits(rng, 3),
                              f"{d[:3]}-{d[3:7]}-{d[7:10]}", rng.choice("0123456789") * rng.choice((7, 8, 11))))
            if phone_reference(raw) is None:
                out.append(bad("phone", raw, "invalid-phone", origin="generated"))
            continue
        ref = phone_reference(raw)
        if ref and ref[0] == meant:
            out.append(_phone(raw, *ref, origin="generated"))
    return out


_CITY = ["上海", "北京", "深圳市", "杭州", "广州", "苏州", "成都", "武汉", "南京", "厦门", ""]
_WORD = ["星辰", "华宇", "腾达", "博远", "恒信", "瑞丰", "金桥", "智联", "天成", "鼎盛", "汇通", "新锐", "长青",
         "海纳", "云帆", "嘉禾"]
_TRADE = ["科技", "电子", "贸易", "信息技术", "网络科技", "生物医药", "建筑工程", "餐饮管理", "文化传媒", "物流",
          "机械设备", "食品", "商贸", "咨询"]
_SUFFIX_CN = ["有限公司", "有限公司", "有限责任公司", "股份有限公司", "集团有限公司"]
_EN_WORD = ["Acme", "Globex", "Initech", "Sunrise", "Pacific", "Golden Bridge", "Blue Ocean", "Northwind",
            "Evergreen", "Silver Lake", "Red Maple"]
_EN_TRADE = ["Trading", "Technology", "Electronics", "Logistics", "Foods", "Software", "Consulting", ""]
_SUFFIX_EN = ["Co., Ltd.", "Co.,Ltd.", "CO., LTD.", "Ltd.", "Ltd", "Inc.", ", Inc.", "LLC", "GmbH", "Corp.",
              "Corp"]


def _generated_companies(rng: random.Random, n: int) -> list[Case]:
    out = []
    for _ in range(n):
        if rng.random() < 0.65:
            core = rng.choice(_CITY) + rng.choice(_WORD) + rng.choice(_TRADE)
            suffix = rng.choice(_SUFFIX_CN) if rng.random() < 0.9 else ""
            raw = core + suffix
            style = rng.random()
            raw = f" {raw} " if style < 0.1 else raw
            key = core + "集团" if suffix == "集团有限公司" else core  # 集团 is part of the name
            out.append(_company(raw, key, origin="generated"))
        else:
            core = f"{rng.choice(_EN_WORD)} {rng.choice(_EN_TRADE)}".strip()
            suffix = rng.choice(_SUFFIX_EN)
            raw = core + suffix if suffix.startswith(",") else f"{core} {suffix}"
            raw = raw.upper() if rng.random() < 0.15 else raw
            out.append(_company(raw, core.lower().replace(" ", ""), origin="generated"))
    return out


_REGIONS = ["110105", "110101", "110108", "310101", "310104", "310106", "440305", "440106", "440304",
            "330106", "510107", "420106", "320106", "370102", "610113", "120101", "210102", "350203",
            "430104", "410105", "530102", "130104", "150102", "450103"]


def _spell_code(rng: random.Random, code: str) -> str:
    style = rng.random()
    if style < 0.7:
        return code
    if style < 0.82:
        return code.lower()
    if style < 0.92:
        return f" {code} "
    return fullwidth(code)


def _generated_ids(rng: random.Random, n: int) -> list[Case]:
    out = []
    while len(out) < n:
        region = rng.choice(_REGIONS)
        born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 25_000))
        seq = rng.randint(1, 999)
        number = make_ric(region, born.strftime("%Y%m%d"), seq)
        if not ric.is_valid(number) or born > AS_OF:
            continue
        male = seq % 2 == 1
        kind = rng.random()
        if kind < 0.55:
            out.append(_id(_spell_code(rng, number), number, origin="generated"))
        elif kind < 0.70:  # birth date and gender beside it, agreeing
            row = {"birth_on": rng.choice((born.isoformat(), f"{born.year}/{born.month}/{born.day}",
                                           f"{born.year}年{born.month}月{born.day}日")),
                   "gender": rng.choice(("男", "male", "M") if male else ("女", "female", "F"))}
            out.append(_id(number, number, row=row, origin="generated"))
        elif kind < 0.76:
            other = born + dt.timedelta(days=rng.choice((-365, -31, -1, 1, 30, 366)))
            out.append(bad("id_number", number, "id-birth-mismatch", row={"birth_on": other.isoformat()},
                           origin="generated", id_number=number))
        elif kind < 0.82:
            out.append(bad("id_number", number, "id-gender-mismatch", row={"gender": "女" if male else "男"},
                           origin="generated", id_number=number))
        else:
            broken = rng.choice((
                number[:-1] + rng.choice([c for c in "0123456789X" if c != number[-1]]),
                number[:-1], number + rng.choice("0123456789"),
                make_ric(region, f"{born.year}{rng.choice(('13', '00'))}{born.day:02d}", seq),
                make_ric(region, f"{born.year}0230", seq),
                number[:6] + number[8:17],  # the old 15-digit form
                number[:10] + number[11] + number[10] + number[12:],  # two digits swapped
            ))
            if not ric.is_valid(broken):
                out.append(bad("id_number", broken, "invalid-id-number", origin="generated"))
    return out


def _generated_credit_codes(rng: random.Random, n: int) -> list[Case]:
    regions = ["110000", "110105", "310000", "310115", "440300", "440305", "330100", "330106", "510100",
               "320500", "420100", "370200", "350200", "610100"]
    out = []
    while len(out) < n:
        prefix = rng.choice(("91", "91", "91", "92", "93", "12", "51", "52"))
        if rng.random() < 0.5:
            org = "MA" + "".join(rng.choice(_CODE_ALPHABET) for _ in range(6))
        else:
            org = _digits(rng, 8)
        code = make_uscc(prefix, rng.choice(regions), org)
        if rng.random() < 0.75:
            out.append(ok("credit_code", _spell_code(rng, code), origin="generated", credit_code=code))
            continue
        broken = rng.choice((code[:-1] + rng.choice([c for c in _CODE_ALPHABET if c != code[-1]]),
                             code[:-1], code + rng.choice("0123456789"),
                             code[:9] + "O" + code[10:], code[:12] + "I" + code[13:],
                             code[:5] + code[6] + code[5] + code[7:]))
        if not uscc.is_valid(broken):
            out.append(bad("credit_code", broken, "invalid-credit-code", origin="generated"))
    return out


_PLACES = [("北京市", "北京市", "朝阳区"), ("北京市", "北京市", "海淀区"), ("上海市", "上海市", "浦东新区"),
           ("上海市", "上海市", "徐汇区"), ("天津市", "天津市", "南开区"), ("重庆市", "重庆市", "渝中区"),
           ("广东省", "广州市", "天河区"), ("广东省", "深圳市", "南山区"), ("广东省", "深圳市", "福田区"),
           ("浙江省", "杭州市", "西湖区"), ("浙江省", "宁波市", "鄞州区"), ("江苏省", "南京市", "鼓楼区"),
           ("江苏省", "苏州市", "姑苏区"), ("四川省", "成都市", "武侯区"), ("湖北省", "武汉市", "洪山区"),
           ("湖南省", "长沙市", "岳麓区"), ("山东省", "青岛市", "市南区"), ("山东省", "济南市", "历下区"),
           ("福建省", "厦门市", "思明区"), ("陕西省", "西安市", "雁塔区"), ("河南省", "郑州市", "金水区"),
           ("辽宁省", "沈阳市", "和平区"), ("安徽省", "合肥市", "蜀山区"), ("云南省", "昆明市", "五华区"),
           ("广西壮族自治区", "南宁市", "青秀区"), ("新疆维吾尔自治区", "乌鲁木齐市", "天山区"),
           ("内蒙古自治区", "呼和浩特市", "新城区"), ("黑龙江省", "哈尔滨市", "南岗区"), ("吉林省", "长春市", "朝阳区"),
           ("河北省", "石家庄市", "长安区"), ("江西省", "南昌市", "东湖区"), ("山西省", "太原市", "小店区"),
           ("贵州省", "贵阳市", "南明区"), ("海南省", "海口市", "美兰区"), ("甘肃省", "兰州市", "城关区"),
           ("宁夏回族自治区", "银川市", "兴庆区"), ("西藏自治区", "拉萨市", "城关区"), ("青海省", "西宁市", "城西区")]
_SHORT_PROVINCE = {"广西壮族自治区": "广西", "新疆维吾尔自治区": "新疆", "内蒙古自治区": "内蒙古",
                   "宁夏回族自治区": "宁夏", "西藏自治区": "西藏"}
_STREETS = ["人民路{n}号", "解放路{n}号", "建设大道{n}号", "文化路{n}号{m}室", "科技园路{n}号{m}室",
            "幸福里小区{n}栋{m}室", "滨江大道{n}号", "工业路{n}号", "学府路{n}号", "和平街{n}号", "新华路{n}号院{m}"]
_FOREIGN = ["{n} High Street, Manchester M1 {m}AB, UK", "{n} Orchard Road, #0{m}-12, Singapore 238{n}",
            "{n} King Street West, Toronto, ON M5H 1A1, Canada", "{n} Collins Street, Melbourne VIC 3000, Australia",
            "Flat {m}, {n} Nathan Road, Kowloon, Hong Kong", "{n}-{m} Shibuya, Tokyo 150-0002, Japan",
            "{n} Rue de Rivoli, 75001 Paris, France"]


def _generated_addresses(rng: random.Random, n: int) -> list[Case]:
    out = []
    for _ in range(n):
        street = rng.choice(_STREETS).format(n=rng.randint(1, 999), m=rng.randint(101, 2808))
        if rng.random() < 0.12:
            raw = rng.choice(_FOREIGN).format(n=rng.randint(1, 300), m=rng.randint(1, 9))
            out.append(_addr(raw, None, None, None, origin="generated"))
            continue
        province, city, district = rng.choice(_PLACES)
        municipal = province == city
        short_p = _SHORT_PROVINCE.get(province, province.rstrip("省市"))
        short_c = city[:-1]
        forms = [province + ("" if municipal else city) + district, short_p + ("" if municipal else city) + district,
                 short_p + ("" if municipal else short_c) + district]
        if not municipal:
            forms.append(city + district)
        raw = rng.choice(forms) + street
        out.append(_addr(raw, province, city, district, origin="generated"))
    return out


def _generated_postcodes(rng: random.Random, n: int) -> list[Case]:
    out = []
    for _ in range(n):
        code = rng.choice("12345678") + _digits(rng, 5) if rng.random() < 0.95 else "0" + _digits(rng, 5)
        kind = rng.random()
        if kind < 0.8:
            raw = rng.choice((code, code, code, f" {code}", fullwidth(code)))
            out.append(ok("postcode", raw, origin="generated", postcode=code))
        else:
            raw = rng.choice((code[:5], code + rng.choice("0123456789"), code[:3] + "-" + code[3:5], code[:5] + "O"))
            out.append(bad("postcode", raw, "invalid-postcode", origin="generated"))
    return out


_DATE_STYLES = ["iso", "slash_ymd", "cn", "compact_dot", "serial", "mixed", "dmy", "dmy_short", "mdy", "ambiguous"]


def _ymd_spelling(rng: random.Random, d: dt.date, style: str) -> str:
    y, m, day = d.year, d.month, d.day
    if style == "mixed":
        style = rng.choice(_DATE_STYLES[:5])
    if style == "iso":
        return d.isoformat()
    if style == "slash_ymd":
        return rng.choice((f"{y}/{m}/{day}", f"{y}/{m:02d}/{day:02d}", f"{y}-{m}-{day}"))
    if style == "cn":
        return rng.choice((f"{y}年{m}月{day}日", f"{y}年{m:02d}月{day:02d}日"))
    if style == "compact_dot":
        return rng.choice((f"{y}{m:02d}{day:02d}", f"{y}.{m}.{day}", f"{y}.{m:02d}.{day:02d}"))
    return _serial(d)


def _impossible(rng: random.Random, d: dt.date) -> tuple[int, int]:
    """(month, day) that does not exist in d's year."""
    return rng.choice(((2, 30), (2, 31), (4, 31), (6, 31), (9, 31), (11, 31), (13, d.day), (0, d.day)))


def _generated_date_column(rng: random.Random, field_: str, style: str, name: str, size: int) -> list[Case]:
    birth = field_ == "birth_on"
    short_years = style in ("dmy_short",) or (style == "mdy" and not birth and rng.random() < 0.5)
    lo, hi = (dt.date(1969, 1, 1) if short_years else dt.date(1940, 1, 1), dt.date(1999, 12, 31) if short_years
              else dt.date(2008, 12, 31)) if birth else (dt.date(2015, 1, 1), AS_OF)
    span = (hi - lo).days
    dates = [lo + dt.timedelta(days=rng.randrange(span + 1)) for _ in range(size)]
    cases: list[Case] = []
    if style in ("dmy", "dmy_short", "mdy"):
        # The column's evidence: at least two values with a day above 12.
        for i in (0, 1):
            dates[i] = dates[i].replace(day=rng.randint(13, 28))
        sep = "." if style == "dmy" and rng.random() < 0.4 else "/"  # one author, one habit
        for d in dates:
            y = f"{d.year % 100:02d}" if short_years else str(d.year)
            if rng.random() < 0.1:
                cases.append(ok(field_, d.isoformat(), column=name, origin="generated", **{field_: d.isoformat()}))
                continue
            first, second = (d.day, d.month) if style != "mdy" else (d.month, d.day)
            raw = rng.choice((f"{first:02d}{sep}{second:02d}{sep}{y}", f"{first}{sep}{second}{sep}{y}"))
            cases.append(ok(field_, raw, column=name, origin="generated", **{field_: d.isoformat()}))
        if rng.random() < 0.5:
            m, day = _impossible(rng, dates[2])
            if 1 <= m <= 12:
                first, second = (day, m) if style != "mdy" else (m, day)
                raw = f"{first}{sep}{second}{sep}{dates[2].year}"
                cases.append(bad(field_, raw, "invalid-date", column=name, origin="generated"))
        return cases
    if style == "ambiguous":
        for d in dates:
            d = d.replace(day=rng.randint(1, 12))
            if rng.random() < 0.2:
                cases.append(ok(field_, d.isoformat(), column=name, origin="generated", **{field_: d.isoformat()}))
                continue
            raw = rng.choice((f"{d.day:02d}/{d.month:02d}/{d.year}", f"{d.day}/{d.month}/{d.year}"))
            if d.day == d.month:  # reads the same either way
                cases.append(ok(field_, raw, column=name, origin="generated", **{field_: d.isoformat()}))
            else:
                cases.append(bad(field_, raw, "ambiguous-date", column=name, origin="generated"))
        return cases
    for d in dates:
        cases.append(ok(field_, _ymd_spelling(rng, d, style), column=name, origin="generated",
                        **{field_: d.isoformat()}))
    if style != "serial" and rng.random() < 0.6:
        m, day = _impossible(rng, dates[0])
        raw = rng.choice((f"{dates[0].year}-{m:02d}-{day:02d}", f"{dates[0].year}/{m}/{day}",
                          f"{dates[0].year}年{m}月{day}日"))
        cases.append(bad(field_, raw, "invalid-date", column=name, origin="generated"))
    return cases


def _generated_dates(rng: random.Random, columns_per_field: int = 10, size: int = 14) -> list[Case]:
    out = []
    for f_i, field_ in enumerate(DATE_FIELDS):
        for c_i in range(columns_per_field):
            style = _DATE_STYLES[c_i % len(_DATE_STYLES)]
            out += _generated_date_column(rng, field_, style, f"gen-{field_}-{c_i}-{style}", size)
    return out


_CURRENCY_MARKS = [("¥{v}", "CNY"), ("￥{v}", "CNY"), ("RMB {v}", "CNY"), ("RMB{v}", "CNY"), ("{v}元", "CNY"),
                   ("CNY {v}", "CNY"), ("人民币{v}", "CNY"), ("¥ {v}", "CNY"), ("${v}", "USD"), ("US${v}", "USD"),
                   ("USD {v}", "USD"), ("HK${v}", "HKD"), ("HKD {v}", "HKD"), ("€{v}", "EUR"), ("EUR {v}", "EUR"),
                   ("£{v}", "GBP"), ("GBP {v}", "GBP")]


def _plain(v: Decimal) -> str:
    """Decimal as plain text without trailing zeros: the canonical amount."""
    text = format(v.normalize(), "f")
    return text if text != "-0" else "0"


def _generated_amounts(rng: random.Random, n: int, columns: int = 6) -> list[Case]:
    out = []
    for i in range(n):
        column = f"gen-amount-{i % columns}"
        kind = rng.random()
        if kind < 0.07:
            raw = rng.choice(("面议", "待定", "见合同", "1.2.3", "1000-2000", "500~800", "TBD", "若干", "12..5"))
            out.append(bad("amount", raw, "invalid-amount", column=column, origin="generated"))
            continue
        if kind < 0.15:  # 万
            v = Decimal(rng.randint(1, 9999)) / (100 if rng.random() < 0.5 else 10)
            raw = f"{_plain(v)}万" + ("元" if rng.random() < 0.3 else "")
            out.append(_amount(raw, _plain(v * 10_000), "CNY" if raw.endswith("元") else None, column,
                               origin="generated"))
            continue
        cents = rng.random() < 0.4
        v = Decimal(rng.randint(1, 9_999_999)) / 100 if cents else Decimal(rng.randint(1, 500_000))
        text = f"{v:,.2f}" if rng.random() < 0.5 else (f"{v:.2f}" if cents or rng.random() < 0.3 else f"{v}")
        if rng.random() < 0.5:
            text = text.replace(",", "")
        if kind < 0.25:  # negative or refund, no currency mark
            raw = rng.choice((f"-{text}", f"({text})", f"退款{text}"))
            out.append(_amount(raw, _plain(-v), None, column, origin="generated"))
            continue
        if kind < 0.6:
            mark, currency = rng.choice(_CURRENCY_MARKS)
            out.append(_amount(mark.format(v=text), _plain(v), currency, column, origin="generated"))
            continue
        out.append(_amount(rng.choice((text, text, f" {text}", fullwidth(text))), _plain(v), None, column,
                           origin="generated"))
    return out


def _generated_eu_amounts(rng: random.Random, n: int) -> list[Case]:
    out = []
    for i in range(n):
        column = f"gen-amount-eu-{i % 2}"
        v = Decimal(rng.randint(1, 9_999_999)) / 100
        whole, frac = f"{v:.2f}".split(".")
        grouped = f"{int(whole):,}".replace(",", ".")
        text = rng.choice((f"{grouped},{frac}", f"{whole},{frac}", f"{grouped},{frac}"))
        mark, currency = rng.choice((("{v}", None), ("€{v}", "EUR"), ("{v} €", "EUR"), ("EUR {v}", "EUR")))
        out.append(_amount(mark.format(v=text), _plain(v), currency, column, origin="generated"))
    return out


_GENDER_SPELLINGS = {"male": ["男", "M", "m", "male", "Male", "MALE", "先生", "男性", "Ｍ", "男 "],
                     "female": ["女", "F", "f", "female", "Female", "FEMALE", "女士", "女性", "Ｆ", " 女"]}


def _generated_gender(rng: random.Random, n: int) -> list[Case]:
    out = []
    for _ in range(n):
        if rng.random() < 0.9:
            value = rng.choice(("male", "female"))
            out.append(ok("gender", rng.choice(_GENDER_SPELLINGS[value]), origin="generated", gender=value))
        else:
            out.append(bad("gender", rng.choice(("未知", "unknown", "?", "其他", "保密", "N")), "invalid-gender",
                           origin="generated"))
    return out


@lru_cache(maxsize=1)
def all_cases() -> tuple[Case, ...]:
    """Every labelled case: the hand-checked ones, then the generated ones (fixed seeds)."""
    hand = [*HAND_PHONES, *HAND_EMAILS, *HAND_NAMES, *HAND_COMPANIES, *HAND_IDS, *HAND_CREDIT,
            *HAND_ADDRESSES, *HAND_POSTCODES, *HAND_DATES, *HAND_AMOUNTS, *HAND_GENDER]
    generated = [
        *_generated_phones(random.Random(4001), 400),
        *_generated_emails(random.Random(4002), 400),
        *_generated_names(random.Random(4003), 400),
        *_generated_companies(random.Random(4004), 200),
        *_generated_ids(random.Random(4005), 300),
        *_generated_credit_codes(random.Random(4006), 200),
        *_generated_addresses(random.Random(4007), 200),
        *_generated_postcodes(random.Random(4008), 120),
        *_generated_dates(random.Random(4009)),
        *_generated_amounts(random.Random(4010), 300),
        *_generated_eu_amounts(random.Random(4011), 40),
        *_generated_gender(random.Random(4012), 80),
    ]
    return tuple(hand + generated)
