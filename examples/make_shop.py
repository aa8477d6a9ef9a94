"""Writes examples/shop/: a small shop's customer folder, with its right answer.

    python examples/make_shop.py

The folder holds what a real shop hands over: two salespeople's workbooks, an order
ledger, a CRM export, and one file that will not open. The same customers turn up in
several files, typed differently each time. Every row below is written out literally,
tagged with WHO it is (a person key, or a marker for rows that are no customer), and
from those tags the script also writes expected/shop/truth.json and shop/README.md: the answer key
cannot disagree with the workbooks because both come from the same tables.

Nothing is random. The .xlsx files have their save time pinned, so running the script
twice gives byte-identical files and regenerating makes no noise in git.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

OUT = Path(__file__).resolve().parent / "shop"
TRUTH = Path(__file__).resolve().parent / "expected" / "shop" / "truth.json"  # kept out of the folder sheetkit reads
AS_OF = date(2024, 12, 31)  # the export date printed in the files; "last 12 months" ends here
SAVED_AT = datetime(2024, 12, 31, 18, 0, 0)

# Markers for rows that are not a customer (every other WHO is a key of PEOPLE).
BLANK = "#blank"        # an empty row in the middle of the data
REJECTED = "#rejected"  # no name, phone or e-mail: nothing to build a customer from
TOTALS = "#totals"      # the 合计 line under the orders

# One entry per real customer: key -> name as it is best written.
PEOPLE = {
    "chenjing": "陈静", "liuyang": "刘洋", "wangjianguo": "王建国", "lixiuying": "李秀英",
    "zhangwei_hz": "张伟 (杭州绿源科技)", "zhangwei_sz": "张伟 (深圳海川电子)",
    "zhaomin_bj": "赵敏 (张丽's row)", "zhaomin_new": "赵敏 (David's row)",
    "zhoujie": "周杰", "sunli": "孙丽", "lina": "李娜", "huanglei": "黄磊", "wufang": "吴芳",
    "zhengqiang": "郑强", "machao": "马超", "hejing": "何静", "linfeng": "林峰", "xuting": "徐婷",
    "guoxiaoming": "郭晓明", "luolin": "罗琳", "gaoyuan": "高远", "xieyu": "谢雨", "tangning": "唐宁",
    "michaelwang": "Michael Wang", "wangfang": "王芳", "emilychen": "Emily Chen",
    "kevinli": "Kevin Li", "sarahliu": "Sarah Liu", "hyperlink": '=HYPERLINK("http://x","click")',
    "amyzhang": "Amy Zhang", "qianduoduo": "钱多多", "jasonxu": "Jason Xu",
}

# The hard cases. Each pair is (person, person).
NOT_MERGED = {
    ("wangjianguo", "lixiuying"): "a couple: different names, one home landline 021-61234567 and "
                                  "one address. A shared landline is a household, not a person.",
    ("zhangwei_hz", "zhangwei_sz"): "张伟 is one of the commonest names in China. These two work at "
                                    "different companies in different cities and share no phone or e-mail.",
}
REVIEW = {
    ("zhaomin_bj", "zhaomin_new"): "same name 赵敏 and the same company (David wrote it short, 智远咨询), "
                                   "but different mobiles and no e-mail or address on David's row (his note "
                                   "says \"New mobile?\"). "
                                   "Probably one person, but only a human can confirm it.",
}
WARNINGS = [  # deliberate bad values: the row is kept and flagged. (person, issue, value, why)
    ("sunli", "invalid-phone", "12345", "too short to be a phone number"),
    ("lina", "invalid-email", "li.qq.com", "no @"),
    ("wangfang", "invalid-email", "wang@@163.com", "two @"),
]
SAFETY = [  # values that must come out as the same text, inert. (person, value, what must happen)
    ("hyperlink", '=HYPERLINK("http://x","click")',
     "a name that is a formula: text in every output workbook and CSV, never a live formula or link"),
    ("wufang", "+加微信 wufang_88 再聊报价", "a note starting with +: stays text, not a formula"),
    ("zhengqiang", "=重要客户=，月底回访", "a note starting with =: stays text, not a formula"),
    ("kevinli", "<script>alert(1)</script>", "shown as text in the HTML report; no script runs"),
]


@dataclass
class Sheet:
    """One sheet as the user sees it: lines above the header, the header, the rows."""

    file: str
    name: str
    header: list[str]
    rows: list[tuple]              # (WHO, cell, cell, ...), one cell per header column
    above: tuple = ()              # (reason, text) lines above the header: title, note, blank
    date_format: str = "yyyy-mm-dd"
    widths: tuple = ()

    @property
    def header_row(self) -> int:
        return len(self.above) + 1

    def numbered(self):
        """(Excel row number, WHO, cells) for every row under the header."""
        for i, (who, *cells) in enumerate(self.rows):
            yield self.header_row + 1 + i, who, cells


# ---------------------------------------------------------------------------------------
# 1. 销售-张丽.xlsx: Zhang Li's own list. Title block above the header, phones typed
#    every way people type them, last-contact dates as real dates and as text.
# ---------------------------------------------------------------------------------------
ZHANG_HEADER = ["客户姓名", "手机", "邮箱", "公司名称", "职位", "性别", "地址", "最近联系时间", "备注"]
ZHANG_ROWS = [
    # WHO           客户姓名  手机                      邮箱                              公司名称               职位       性别  地址                               最近联系时间        备注
    ("chenjing",    "陈静",   "13812345678",           "chen.jing@qq.com",               "上海云帆贸易有限公司", "采购经理", "女", "上海市黄浦区南京东路100号",       date(2024, 12, 20), "年度大客户，每季度回访"),
    ("liuyang",     "刘洋",   "139-5712-1688",         "liuyang@163.com",                "杭州明远贸易有限公司", "总经理",   "男", "杭州市西湖区文三路90号",          "2024/3/5",         None),
    ("wangjianguo", "王建国", "021-61234567",          "wangjg@126.com",                 None,                   None,       "男", "上海市浦东新区张杨路1234弄5号302室", date(2024, 6, 18), "家里座机，爱人也常来店里"),
    ("zhangwei_hz", "张伟",   "+86 135 8888 6666",     "zhangwei@lvyuan-tech.com",       "杭州绿源科技有限公司", "技术总监", "男", "杭州市滨江区江南大道3888号",      "2024年9月12日",    None),
    ("zhaomin_bj",  "赵敏",   "13701234567",           "zhaomin@zhiyuan-consulting.com", "北京智远咨询有限公司", "项目经理", "女", "北京市朝阳区建国路88号",          date(2024, 10, 8),  None),
    # 86 + mobile typed into a General cell: Excel stores a NUMBER and shows 8.61861E+12.
    ("zhoujie",     "周杰",   8618612345678,           "zhoujie@gmail.com",              "南京启明文化传媒有限公司", "市场总监", "男", "南京市鼓楼区中山路200号",     date(2023, 8, 20),  "2023年后未再下单"),
    ("sunli",       "孙丽",   "12345",                 None,                             None,                   None,       "女", "苏州市姑苏区观前街18号",          "2024/7/1",         "电话号码不全，待核实"),
    # Full-width digits, as typed with a Chinese IME left in full-width mode.
    ("lina",        "李娜",   "１５９２２３３４４５５", "li.qq.com",                      "宁波华达进出口有限公司", "外贸专员", "女", "宁波市海曙区中山西路138号",     date(2024, 11, 2),  None),
    (BLANK,),
    # Only a note survived; nothing identifies anyone.
    (REJECTED,      None,     None,                    None,                             None,                   None,       None, None,                               None,               "该客户已要求删除个人信息"),
    ("huanglei",    "黄磊",   "18500001234",           "huanglei@163.com",               "苏州恒通物流有限公司", "采购主管", "男", "苏州市工业园区星湖街328号",       date(2023, 7, 10),  None),
    # Notes that start with + and = : must stay text in every output, never a formula.
    ("wufang",      "吴芳",   "150-6789-1234",         "wufang88@qq.com",                None,                   None,       "女", "杭州市上城区解放路55号",          "2024年5月20日",    "+加微信 wufang_88 再聊报价"),
    ("zhengqiang",  "郑强",   "13605719876",           "zhengqiang@dingsheng-mech.com",  "杭州鼎盛机械有限公司", "厂长",     "男", "杭州市余杭区文一西路1500号",      date(2024, 1, 5),   "=重要客户=，月底回访"),
    # A plain 11-digit mobile typed as a number.
    ("machao",      "马超",   13911223344,             "machao@126.com",                 "合肥科达电器有限公司", "经理",     "男", "合肥市蜀山区长江西路499号",       date(2024, 11, 30), None),
    ("hejing",      "何静",   None,                    "hejing@126.com",                 "成都天府文旅有限公司", "行政主管", "女", None,                               "2024/10/15",       "只留了邮箱"),
    ("linfeng",     "林峰",   "177 0123 4567",         "linfeng@gmail.com",              "厦门蓝海软件有限公司", "产品经理", "男", "厦门市思明区软件园二期观日路24号", date(2024, 8, 8),  None),
    ("xuting",      "徐婷",   "19912345678",           "xuting@qq.com",                  None,                   None,       "女", "武汉市江汉区解放大道688号",       date(2024, 12, 2),  None),
]
# 张丽 names herself as 负责人 (owner) on every customer row.
ZHANG_HEADER = [*ZHANG_HEADER, "负责人"]
ZHANG_ROWS = [row if row[0] in (BLANK, REJECTED) else (*row, "张丽") for row in ZHANG_ROWS]

# Prospects: people Zhang Li has talked to who have not ordered yet. Header on row 1;
# 来源 (lead source) is not in the schema and is carried along as an extra column.
# 跟进人 (who follows the lead up) is filled for two; the other three nobody has taken yet:
# they are in the pool (公海) from the start.
PROSPECT_HEADER = ["姓名", "手机", "公司", "来源", "备注", "跟进人"]
PROSPECT_ROWS = [
    ("guoxiaoming", "郭晓明", "15011223344",   "上海星辰广告有限公司", "展会",     "对定制款感兴趣", "张丽"),
    ("luolin",      "罗琳",   "152-6677-8899", None,                   "朋友介绍", None,             None),
    ("gaoyuan",     "高远",   18700001111,     "深圳前海高远投资",     "官网咨询", "已加微信",       "张丽"),
    ("xieyu",       "谢雨",   "178 1111 2222", "南京雨花设计工作室",   "展会",     None,             None),
    ("tangning",    "唐宁",   "19876543210",   None,                   "抖音",     "想要样品",       None),
]

# ---------------------------------------------------------------------------------------
# 2. sales-david.xlsx: David's list, English headers on row 1. Five of his customers are
#    also Zhang Li's, written his way: +86 prefixes, e-mails in mixed case, stray spaces.
# ---------------------------------------------------------------------------------------
DAVID_HEADER = ["Customer Name", "Phone", "E-mail", "Company", "Title", "Gender", "Address",
                "Last Contact", "Notes"]
DAVID_ROWS = [
    # WHO            Customer Name    Phone                 E-mail                   Company                 Title                 Gender    Address                                   Last Contact        Notes
    ("chenjing",    "陈静 ",         "+86 138 1234 5678",  "Chen.Jing@QQ.com",      "上海云帆贸易有限公司", "Purchasing Manager", "F",      "100 Nanjing East Rd, Huangpu, Shanghai", date(2024, 11, 18), "Met at Canton Fair"),
    ("liuyang",     "刘洋",          None,                 "LiuYang@163.com",       "杭州明远贸易有限公司", "General Manager",    "Male",   None,                                     "2024-10-20",       "Only gave me his e-mail"),
    ("zhangwei_sz", "张伟",          "189-2222-3333",      "zw@haichuan.cn",        "深圳海川电子有限公司", "Sales Director",     "M",      "深圳市南山区科技园南区8栋",              date(2024, 9, 30),  "Electronics, Shenzhen"),
    ("zhaomin_new", "赵敏",          "15801234567",        None,                    "智远咨询",             "Consultant",         "Female", None,                                     date(2024, 12, 3),  "New mobile? check with 张丽"),
    ("michaelwang", "Michael Wang",  13698765432,          "michael.wang@gmail.com", "Sino-Euro Trading Co.", "CEO",               "Male",   "Room 1201, 500 Century Ave, Shanghai",   date(2024, 7, 14),  None),
    ("wangfang",    "王芳",          "159 1234 0000",      "wang@@163.com",         None,                   None,                 "F",      "上海市徐汇区漕溪北路398号",              "2024-12-05",       None),
    ("emilychen",   "Emily Chen",    "177-6655-4433",      "emily@brightpath.com",  "BrightPath Education", "Director",           "Female", None,                                     date(2024, 6, 2),   None),
    ("zhoujie",     " 周杰",         "186-1234-5678",      "ZhouJie@Gmail.com",     "南京启明文化传媒有限公司", "Marketing Director", "M",    None,                                     date(2023, 9, 1),   "Quiet since 2023"),
    ("hejing",      "何静",          "153 5566 7788",      "HeJing@126.com",        "成都天府文旅有限公司", "Admin Manager",      "F",      "成都市锦江区红星路三段1号",              date(2024, 10, 28), None),
    # The HTML report must show this note as text, not run it.
    ("kevinli",     "Kevin Li",      "18898765432",        "kevin.li@163.com",      "Li's Hardware",        "Owner",              "M",      "88 Zhongshan Rd, Guangzhou",             date(2024, 5, 17),  "<script>alert(1)</script>"),
    ("huanglei",    "黄磊",          "+8618500001234",     None,                    "苏州恒通物流有限公司", "Buyer",              "Male",   None,                                     date(2023, 7, 12),  None),
    ("sarahliu",    "Sarah Liu",     "133 0011 2233",      "sarah.liu@gmail.com",   "Liu & Partners",       "Partner",            "F",      None,                                     date(2024, 3, 21),  None),
]
# David's sheet also says each customer's industry (行业, for tags) and names him as Sales Rep.
DAVID_INDUSTRY = {"chenjing": "贸易", "liuyang": "贸易", "zhangwei_sz": "电子", "zhaomin_new": "咨询",
                  "michaelwang": "医疗器械", "emilychen": "教育", "zhoujie": "文化传媒", "hejing": "文旅",
                  "kevinli": "五金", "huanglei": "物流", "sarahliu": "法律服务"}
DAVID_HEADER = [*DAVID_HEADER, "Industry", "Sales Rep"]
DAVID_ROWS = [(*row, DAVID_INDUSTRY.get(row[0]), "David") for row in DAVID_ROWS]

# ---------------------------------------------------------------------------------------
# 3. 订单记录-2024.xlsx: the order ledger, one row per order, oldest first. Amounts are
#    numbers or text (¥1,280.00, 3500元), a few dates are text, and a 合计 line closes it.
#    Totals per customer are chosen so value and recency tiers differ: 陈静 spends
#    ≥ 50,000 in 2024; 周杰 and 黄磊 only ordered in 2023.
# ---------------------------------------------------------------------------------------
ORDER_HEADER = ["客户姓名", "联系方式", "电子邮件", "地址", "交易日期", "交易金额"]
FAMILY_HOME = "上海市浦东新区张杨路1234弄5号302室"
ORDER_ROWS = [
    # WHO          客户姓名  联系方式             电子邮件               地址                          交易日期             交易金额
    ("zhoujie",    "周杰",   "18612345678",      "zhoujie@gmail.com",   "南京市鼓楼区中山路200号",    date(2023, 1, 9),    6800),
    ("huanglei",   "黄磊",   "185-0000-1234",    "huanglei@163.com",    "苏州市工业园区星湖街328号",  date(2023, 2, 20),   25000),
    # Name padded with a full-width space, the way Chinese forms align two-character names.
    ("liuyang",    "刘　洋", "13957121688",      None,                  "杭州市西湖区文三路90号",     date(2023, 3, 14),   2300),
    ("zhoujie",    "周杰",   "186 1234 5678",    None,                  "南京市鼓楼区中山路200号",    date(2023, 4, 27),   "¥12,000.00"),
    ("machao",     "马超",   13911223344,        "machao@126.com",      "合肥市蜀山区长江西路499号",  date(2023, 6, 12),   1980),
    ("huanglei",   "黄磊",   "18500001234",      None,                  "苏州市工业园区星湖街328号",  date(2023, 7, 7),    "18,000"),
    ("zhoujie",    "周杰",   "+86 186 1234 5678", None,                 None,                         date(2023, 8, 16),   3300),
    ("liuyang",    "刘洋",   "139-5712-1688",    "liuyang@163.com",     "杭州市西湖区文三路90号",     "2023年11月2日",     4500),
    ("zhengqiang", "郑强",   "13605719876",      None,                  "杭州市余杭区文一西路1500号", date(2023, 12, 30),  7600),
    ("zhengqiang", "郑强",   "136 0571 9876",    None,                  "杭州市余杭区文一西路1500号", "2024/1/2",          4200),
    ("wangfang",   "王芳",   "15912340000",      None,                  "上海市徐汇区漕溪北路398号",  date(2024, 1, 15),   880),
    ("chenjing",   "陈静",   "138-1234-5678",    "chen.jing@qq.com",    "上海市黄浦区南京东路100号",  date(2024, 2, 18),   12800),
    ("machao",     "马超",   "139-1122-3344",    None,                  "合肥市蜀山区长江西路499号",  date(2024, 2, 29),   2450),
    # 王建国's wife: his landline, his address, her own name. Not him.
    ("lixiuying",  "李秀英", "021 6123 4567",    None,                  FAMILY_HOME,                  date(2024, 3, 8),    450),
    ("chenjing",   "陈静",   13812345678,        None,                  "上海市黄浦区南京东路100号",  date(2024, 4, 9),    "¥9,600.00"),
    ("liuyang",    "刘洋",   None,               "liuyang@163.com",     None,                         date(2024, 5, 6),    "3500元"),
    ("chenjing",   "陈静",   "13812345678",      None,                  "上海市黄浦区南京东路100号",  date(2024, 6, 21),   15000),
    ("wangfang",   "王芳",   "159-1234-0000",    None,                  "上海市徐汇区漕溪北路398号",  date(2024, 7, 3),    "¥1,150.00"),
    ("chenjing",   "陈静",   "+86 13812345678",  None,                  "上海市黄浦区南京东路100号",  date(2024, 8, 30),   "8500元"),
    ("lixiuying",  "李秀英", "021-61234567",     None,                  FAMILY_HOME,                  date(2024, 9, 19),   "680元"),
    ("liuyang",    "刘洋",   "13957121688",      "liuyang@163.com",     "杭州市西湖区文三路90号",     date(2024, 10, 22),  5200),
    ("chenjing",   "陈静",   None,               "chen.jing@qq.com",    "上海市黄浦区南京东路100号",  date(2024, 11, 15),  6200),
    ("machao",     "马超",   "13911223344",      None,                  "合肥市蜀山区长江西路499号",  date(2024, 11, 28),  "¥3,120.50"),
    ("wangfang",   "王芳",   "15912340000",      None,                  "上海市徐汇区漕溪北路398号",  "2024/12/5",         960),
    ("chenjing",   "陈静",   "138 1234 5678",    "CHEN.JING@QQ.COM",    "上海市黄浦区南京东路100号",  date(2024, 12, 20),  "¥1,280.00"),
]

# ---------------------------------------------------------------------------------------
# 4. crm-export.csv: the web shop's CRM export (UTF-8 with BOM, as Excel likes it).
#    One sign-up typed a formula as its name: harmless here, dangerous if an output
#    workbook turned it back into a live formula.
# ---------------------------------------------------------------------------------------
CRM_HEADER = ["Name", "Mobile", "Email", "Company", "Created"]
CRM_ROWS = [
    ("chenjing",    "陈静",      "138 1234 5678",     "chen.jing@qq.com",           "上海云帆贸易有限公司", "2023-05-20 09:12:44"),
    ("gaoyuan",     "高远",      "+86 187 0000 1111", "gaoyuan@qianhai-invest.com", "深圳前海高远投资",     "2024-08-02 16:40:10"),
    ("hyperlink",   '=HYPERLINK("http://x","click")', None, "spam2024@163.com",     None,                   "2024-09-09 03:14:15"),
    ("amyzhang",    "Amy Zhang", "15100998877",       "amy.zhang@qq.com",           "Zhang Design Studio",  "2024-04-11 11:05:00"),
    ("qianduoduo",  "钱多多",    "18233445566",       "qdd@163.com",                "多多母婴用品店",       "2024-06-30 20:18:37"),
    ("jasonxu",     "Jason Xu",  "13522446688",       "jason.xu@sinotech.com",      "SinoTech Ltd",         "2024-10-12 08:45:51"),
]

BROKEN_FILE = "损坏的文件.xlsx"
# A download that died early: not a zip at all, so no reader can open it.
BROKEN_BYTES = b"\x00\x13\x8f\xfeNOT AN XLSX\r\n\xde\xad\xbe\xef"


def amount_value(v) -> float:
    """12800, "¥1,280.00", "3500元" -> a number."""
    return float(v) if isinstance(v, (int, float)) else float(re.sub(r"[¥,元\s]", "", v))


def date_value(v) -> date:
    """date(2024, 1, 2), "2024/1/2", "2024年1月2日" -> a date."""
    return v if isinstance(v, date) else date(*map(int, re.findall(r"\d+", v)[:3]))


ORDER_TOTAL = round(sum(amount_value(row[-1]) for row in ORDER_ROWS), 2)

# The 合计 line is a typed number: a formula written by openpyxl has no cached value,
# so readers that do not recalculate would see an empty cell.
ORDERS = Sheet("订单记录-2024.xlsx", "订单", ORDER_HEADER,
               ORDER_ROWS + [(TOTALS, "合计", None, None, None, None, ORDER_TOTAL)],
               widths=(10, 18, 22, 30, 14, 14))

SHEETS = [
    Sheet("销售-张丽.xlsx", "客户名单", ZHANG_HEADER, ZHANG_ROWS,
          above=(("title", "2024年客户名单（张丽）"), ("note", "导出日期：2024-12-31"), ("blank", None)),
          widths=(10, 18, 30, 24, 10, 6, 34, 14, 26, 8)),
    Sheet("销售-张丽.xlsx", "潜在客户", PROSPECT_HEADER, PROSPECT_ROWS, widths=(10, 16, 22, 10, 18, 8)),
    Sheet("sales-david.xlsx", "Customers", DAVID_HEADER, DAVID_ROWS, date_format="m/d/yyyy",
          widths=(16, 20, 24, 24, 20, 8, 38, 13, 30, 10, 10)),
    ORDERS,
    Sheet("crm-export.csv", "crm-export", CRM_HEADER, CRM_ROWS),
]


# ---------------------------------------------------------------------------------------
# Writing the files
# ---------------------------------------------------------------------------------------
def write_xlsx(path: Path, sheets: list[Sheet]) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        width = len(sheet.header)
        for r, (reason, text) in enumerate(sheet.above, start=1):
            if reason == "title":
                ws.cell(r, 1, text).font = Font(bold=True, size=14)
                ws.cell(r, 1).alignment = Alignment(horizontal="center")
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
            elif text:
                ws.cell(r, 1, text)
        for c, title in enumerate(sheet.header, start=1):
            cell = ws.cell(sheet.header_row, c, title)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
        for r, _who, cells in sheet.numbered():
            for c, value in enumerate(cells, start=1):
                put(ws.cell(r, c), value, sheet.date_format)
        for c, w in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = w
        ws.freeze_panes = ws.cell(sheet.header_row + 1, 1)
    save_reproducibly(wb, path)


def put(cell, value, date_format: str) -> None:
    if value is None:
        return
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text the user typed, which only looks like a formula
    elif isinstance(value, date):
        cell.number_format = date_format  # a real Excel date (a serial number underneath)


def save_reproducibly(wb: Workbook, path: Path) -> None:
    """Save with the save time pinned (openpyxl stamps "now" into docProps and the zip)."""
    wb.properties.creator = "sheetkit examples"
    wb.properties.created = SAVED_AT
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = SAVED_AT.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            pinned = zipfile.ZipInfo(item.filename, date_time=SAVED_AT.timetuple()[:6])
            dst.writestr(pinned, data, compress_type=zipfile.ZIP_DEFLATED)


def write_csv(path: Path, sheet: Sheet) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:  # BOM: Excel then reads UTF-8
        out = csv.writer(f)  # \r\n line ends, quotes where needed: what CRM exports look like
        out.writerow(sheet.header)
        for _r, _who, cells in sheet.numbered():
            out.writerow(["" if v is None else v for v in cells])


# ---------------------------------------------------------------------------------------
# The right answer
# ---------------------------------------------------------------------------------------
def ref(sheet: Sheet, row: int) -> dict:
    return {"file": sheet.file, "sheet": sheet.name, "row": row}


def customer_rows() -> dict[str, list[tuple[Sheet, int, list]]]:
    """Person key -> every (sheet, row, cells) that describes that person, in file order."""
    found: dict[str, list] = {key: [] for key in PEOPLE}
    for sheet in SHEETS:
        for r, who, cells in sheet.numbered():
            if who in PEOPLE:
                found[who].append((sheet, r, cells))
    return found


# A rough identity check, used only to guard the tables below against typos and to say
# in README.md why rows belong together. It is not sheetkit's matching.
PHONE_HEADERS = ("手机", "Phone", "联系方式", "Mobile")
EMAIL_HEADERS = ("邮箱", "E-mail", "电子邮件", "Email")


def cell_under(sheet: Sheet, cells: list, headers: tuple[str, ...]):
    return next((cells[i] for i, h in enumerate(sheet.header) if h in headers), None)


def phone_key(v) -> str | None:
    """The digits that identify a phone, or None when too few to identify anything."""
    if v is None:
        return None
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", str(v)))
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits if len(digits) >= 10 else None


def email_key(v) -> str | None:
    return v.strip().lower() if v and "@" in v else None


def keys_of(sheet: Sheet, cells: list) -> set[str]:
    phone = phone_key(cell_under(sheet, cells, PHONE_HEADERS))
    email = email_key(cell_under(sheet, cells, EMAIL_HEADERS))
    return {k for k in (phone and f"phone {phone}", email and f"e-mail {email}") if k}


def why_together(rows: list) -> str:
    """What ties a customer's rows together, read off the rows themselves."""
    if len(rows) == 1:
        return "one row only"
    counts: dict[str, int] = {}
    for sheet, _r, cells in rows:
        for k in keys_of(sheet, cells):
            counts[k] = counts.get(k, 0) + 1
    return "; ".join(f"same {k} ({n} rows)" for k, n in sorted(counts.items()) if n > 1)


def check_identities(people_rows: dict) -> None:
    """Guard the literal tables against typos: each person's rows must be linked by phone or
    e-mail, and no two people may share one, except the couple's landline."""
    for key, rows in people_rows.items():
        assert rows, f"{key} appears in no file"
        linked, todo = {0}, [0]
        while todo:
            i = todo.pop()
            for j, (sheet, _r, cells) in enumerate(rows):
                if j not in linked and keys_of(sheet, cells) & keys_of(rows[i][0], rows[i][2]):
                    linked.add(j)
                    todo.append(j)
        assert len(linked) == len(rows), f"{key}: rows not linked by phone or e-mail"
    owner: dict[str, str] = {}
    for key, rows in people_rows.items():
        for sheet, _r, cells in rows:
            for k in keys_of(sheet, cells):
                other = owner.setdefault(k, key)
                assert other == key or (other, key) in NOT_MERGED, f"{other} and {key} share {k}"


def row_with(rows: list, value: str) -> tuple[Sheet, int]:
    """The (sheet, row) among a person's rows that holds ``value``."""
    return next((sheet, r) for sheet, r, cells in rows if value in cells)


def build_truth() -> dict:
    people_rows = customer_rows()
    check_identities(people_rows)
    first = {key: ref(rows[0][0], rows[0][1]) for key, rows in people_rows.items()}
    skipped, rejected = [], []
    for sheet in SHEETS:
        for r, (reason, _text) in enumerate(sheet.above, start=1):
            skipped.append({**ref(sheet, r), "reason": reason})
        skipped.append({**ref(sheet, sheet.header_row), "reason": "header"})
        for r, who, _cells in sheet.numbered():
            if who == BLANK:
                skipped.append({**ref(sheet, r), "reason": "blank"})
            elif who == TOTALS:
                skipped.append({**ref(sheet, r), "reason": "totals"})
            elif who == REJECTED:
                rejected.append(ref(sheet, r))
    return {
        "as_of": AS_OF.isoformat(),
        "customers": len(PEOPLE),
        "customers_if_review_confirmed": len(PEOPLE) - len(REVIEW),
        "groups": [[ref(s, r) for s, r, _c in rows] for rows in people_rows.values()],
        "not_merged": [[first[a], first[b]] for a, b in NOT_MERGED],
        "review": [[first[a], first[b]] for a, b in REVIEW],
        "rejected": rejected,
        "warnings": [{**ref(*row_with(people_rows[key], value)), "code": code}
                     for key, code, value, _why in WARNINGS],
        "safety": [{**ref(*row_with(people_rows[key], value)), "value": value}
                   for key, value, _what in SAFETY],
        "transactions": len(ORDER_ROWS),
        "transactions_total": ORDER_TOTAL,
        "orders_by_customer": order_summary(ORDERS, first),
        "skipped": skipped,
        "failed_files": [BROKEN_FILE],
        **follow_up(people_rows, first),
        "tags_toml": tag_answers(),
    }


def order_summary(sheet: Sheet, first: dict) -> list[dict]:
    """Per ordering customer: orders, total, total in the 12 months to AS_OF, last order."""
    year_ago = AS_OF.replace(year=AS_OF.year - 1)
    summary: dict[str, dict] = {}
    for _r, who, cells in sheet.numbered():
        if who not in PEOPLE:
            continue
        when, amount = date_value(cells[4]), amount_value(cells[5])
        s = summary.setdefault(who, {"customer": first[who], "name": PEOPLE[who], "orders": 0,
                                     "total": 0.0, "total_last_12_months": 0.0, "last_order": ""})
        s["orders"] += 1
        s["total"] = round(s["total"] + amount, 2)
        if when > year_ago:
            s["total_last_12_months"] = round(s["total_last_12_months"] + amount, 2)
        s["last_order"] = max(s["last_order"], when.isoformat())
    return sorted(summary.values(), key=lambda s: -s["total"])


# Owners, the pool (公海) and re-verification (定期核对), with sheetkit's default settings.
POOL_AFTER_DAYS = 90      # pool_after_days: an owner's customer untouched for longer goes to the pool
VERIFY_AFTER_DAYS = 180   # verify_after_days: contact data confirmed longer ago is checked again
OWNER_HEADERS = ("负责人", "跟进人", "Sales Rep")
CONTACT_HEADERS = ("最近联系时间", "Last Contact")
INVALID = {"invalid-phone": "phone", "invalid-email": "e-mail"}


# The three tags of issue 19, as a user writes them (examples/tags.toml), and who each must
# pick out of this shop, worked out here from the tables.
TAGS_TOML = """\
# The three-level tags of examples/shop/README.md: sheetkit run examples/shop --config examples/tags.toml
[[tags]]
name = "高活跃度"
level = "行为"
when = "order_count_12m >= 6 and days_since_order <= 90"

[[tags]]
name = "医疗器械"
level = "行业"
when = "company contains '医疗' or industry == '医疗器械'"

[[tags]]
name = "战略客户"
level = "价值"
when = "amount_12m >= 500000"
"""


def tag_answers() -> dict[str, list[str]]:
    year_ago = AS_OF.replace(year=AS_OF.year - 1)
    recent = [(who, date_value(cells[4])) for _r, who, cells in ORDERS.numbered()
              if who in PEOPLE and date_value(cells[4]) > year_ago]  # as order_summary counts
    active = [k for k in PEOPLE if sum(w == k for w, _d in recent) >= 6
              and (AS_OF - max(d for w, d in recent if w == k)).days <= 90]
    companies = {who: cell_under(sheet, cells, ("公司名称", "Company", "公司")) or ""
                 for sheet in SHEETS for _r, who, cells in sheet.numbered() if who in PEOPLE}
    medical = [k for k in PEOPLE if "医疗" in companies.get(k, "") or DAVID_INDUSTRY.get(k) == "医疗器械"]
    spend = {s["name"]: s["total_last_12_months"] for s in order_summary(ORDERS, {k: k for k in PEOPLE})}
    strategic = [k for k in PEOPLE if spend.get(PEOPLE[k], 0) >= 500000]
    return {"高活跃度": [PEOPLE[k] for k in active], "医疗器械": [PEOPLE[k] for k in medical],
            "战略客户": [PEOPLE[k] for k in strategic]}


def dates_under(sheet: Sheet, cells: list, headers: tuple[str, ...]) -> list[date]:
    v = cell_under(sheet, cells, headers)
    return [date_value(v)] if v else []


def follow_up(people_rows: dict, first: dict) -> dict:
    """Per customer: the owner (on the row with the latest date among rows naming one: the
    most recent record wins), last activity (latest contact or order, or when entered),
    whether it is in the pool, and what to verify."""
    spend = {s["name"]: (s["total_last_12_months"], s["total"]) for s in order_summary(ORDERS, first)}
    owners, pool, verify = {}, [], []
    for key, rows in people_rows.items():
        contacts = [d for sheet, _r, cells in rows for d in dates_under(sheet, cells, CONTACT_HEADERS)]
        orders = [d for sheet, _r, cells in rows for d in dates_under(sheet, cells, ("交易日期",))]
        created = [d for sheet, _r, cells in rows for d in dates_under(sheet, cells, ("Created",))]
        dated_owners = [(max([*dates_under(sheet, cells, CONTACT_HEADERS), date.min]), cell_under(sheet, cells, OWNER_HEADERS))
                        for sheet, _r, cells in rows if cell_under(sheet, cells, OWNER_HEADERS)]
        owner = max(dated_owners, key=lambda d: d[0])[1] if dated_owners else None
        owners[key] = owner
        activity = max([*contacts, *orders, *([min(created)] if created else [])], default=None)
        due = activity + timedelta(days=POOL_AFTER_DAYS) if activity else None
        if owner is None or due is None or due < AS_OF:
            pool.append({"customer": first[key], "name": PEOPLE[key], "former_owner": owner,
                         "due_on": due.isoformat() if owner and due else None})
        confirmed = max(contacts) if contacts else max([*orders, *([min(created)] if created else [])], default=None)
        checks = []
        if confirmed is None:
            checks.append("never confirmed")
        elif (AS_OF - confirmed).days > VERIFY_AFTER_DAYS:
            checks.append(f"last confirmed {confirmed.isoformat()}")
        checks += [f"{INVALID[code]} {value}" for who, code, value, _why in WARNINGS if who == key and code in INVALID]
        if checks:
            verify.append({"customer": first[key], "name": PEOPLE[key], "ask": owner, "checks": checks,
                           "amount_12m": spend.get(PEOPLE[key], (0.0, 0.0))[0],
                           "total": spend.get(PEOPLE[key], (0.0, 0.0))[1]})
    verify.sort(key=lambda v: (-v["amount_12m"], -v["total"]))
    by_owner: dict[str, int] = {}
    for owner in owners.values():
        by_owner[owner or ""] = by_owner.get(owner or "", 0) + 1
    return {"owners": [{"customer": first[k], "name": PEOPLE[k], "owner": o} for k, o in owners.items()],
            "customers_by_owner": by_owner, "pool": pool, "verify": verify,
            "pool_after_days": POOL_AFTER_DAYS, "verify_after_days": VERIFY_AFTER_DAYS}


# ---------------------------------------------------------------------------------------
# README.md: the answer key in words, with row numbers taken from the same tables
# ---------------------------------------------------------------------------------------
def where(rows: list) -> str:
    """'销售-张丽.xlsx › 客户名单 row 5; 订单记录-2024.xlsx › 订单 rows 13, 16'."""
    parts: dict[tuple[str, str], list[int]] = {}
    for sheet, r, *_ in rows:
        parts.setdefault((sheet.file, sheet.name), []).append(r)
    word = {True: "record", False: "row"}
    return "; ".join(
        f"{file} › {name} {word[file.endswith('.csv')]}{'s' if len(rs) > 1 else ''} "
        f"{', '.join(map(str, rs))}" for (file, name), rs in parts.items())


def build_readme(truth: dict) -> str:
    people_rows = customer_rows()
    at = {key: where([(s, r) for s, r, _c in rows]) for key, rows in people_rows.items()}
    sheet_of = {(s.file, s.name): s for s in SHEETS}

    def refs(items: list[dict]) -> str:
        return where([(sheet_of[i["file"], i["sheet"]], i["row"]) for i in items])

    groups = "\n".join(
        f"| {n} | {PEOPLE[key]} | {at[key]} | {why_together(rows)} |"
        for n, (key, rows) in enumerate(people_rows.items(), start=1))

    def pairs(table: dict) -> str:
        return "\n".join(f"| {PEOPLE[a]} — {at[a]} | {PEOPLE[b]} — {at[b]} | {why} |"
                         for (a, b), why in table.items())

    warnings = "\n".join(f"| {where([row_with(people_rows[key], value)])} | {PEOPLE[key]} | "
                         f"`{code}` | `{value}`: {why} |" for key, code, value, why in WARNINGS)
    safety = "\n".join(f"| {where([row_with(people_rows[key], value)])} | `{value}` | {what} |"
                       for key, value, what in SAFETY)
    reasons = {"title": "title line (merged across the columns)", "note": "export-date line",
               "blank": "blank row", "header": "header row", "totals": "合计 totals line"}
    skipped = "\n".join(f"| {refs([s])} | {reasons[s['reason']]} |" for s in truth["skipped"])
    orders = "\n".join(
        f"| {s['name']} | {s['orders']} | {s['total']:,.2f} | {s['total_last_12_months']:,.2f} | "
        f"{s['last_order']} |" for s in truth["orders_by_customer"])
    n = truth["customers"]
    return README.format(
        n=n, n_review=truth["customers_if_review_confirmed"], n_groups=len(truth["groups"]),
        n_rows=sum(len(g) for g in truth["groups"]),
        n_rows_with_rejected=sum(len(g) for g in truth["groups"]) + len(truth["rejected"]),
        multi=sum(len(g) > 1 for g in truth["groups"]),
        groups=groups, not_merged=pairs(NOT_MERGED), review=pairs(REVIEW), warnings=warnings,
        rejected=refs(truth["rejected"]), skipped=skipped, orders=orders,
        transactions=truth["transactions"], total=f"{truth['transactions_total']:,.2f}",
        totals_row=refs([s for s in truth["skipped"] if s["reason"] == "totals"]),
        safety=safety,
        n_rejected=len(truth["rejected"]), n_warnings=len(truth["warnings"]),
        n_review_pairs=len(truth["review"]), n_not_merged=len(truth["not_merged"]),
        n_failed=len(truth["failed_files"]), broken=BROKEN_FILE, as_of=AS_OF.isoformat(),
        **follow_up_readme(truth))


def follow_up_readme(truth: dict) -> dict[str, object]:
    """The Owners, Pool, Verify and tags parts of README.md."""
    by_owner: dict[str, list[str]] = {}
    for o in truth["owners"]:
        by_owner.setdefault(o["owner"] or "", []).append(o["name"])
    owners = "\n".join(f"| {o or '(no owner)'} | {len(names)} | {', '.join(names)} |"
                       for o, names in sorted(by_owner.items(), key=lambda kv: (kv[0] == "", -len(kv[1]))))
    pool = "\n".join(f"| {p['name']} | {p['former_owner'] or '(no owner)'} | "
                      f"{p['due_on'] or ('—' if not p['former_owner'] else 'no date of contact')} |"
                      for p in truth["pool"])
    verify = "\n".join(f"| {v['name']} | {v['ask'] or '(no owner)'} | {'; '.join(v['checks'])} | "
                        f"{v['amount_12m']:,.2f} |" for v in truth["verify"])
    tags = "\n".join(f"| {name} | {', '.join(names) or 'nobody'} |" for name, names in truth["tags_toml"].items())
    on_both = [k for k, rows in customer_rows().items()
               if {s.file for s, _r, _c in rows} >= {"销售-张丽.xlsx", "sales-david.xlsx"}]
    owner_of = {o["name"]: o["owner"] for o in truth["owners"]}
    shared = [PEOPLE[k] for k in on_both if owner_of[PEOPLE[k]] == "David"]
    return {"owners": owners, "pool": pool, "verify": verify, "tags": tags, "tags_toml": TAGS_TOML.strip(),
            "n_pool": len(truth["pool"]), "n_verify": len(truth["verify"]),
            "n_pool_no_owner": sum(p["former_owner"] is None for p in truth["pool"]),
            "pool_days": POOL_AFTER_DAYS, "verify_days": VERIFY_AFTER_DAYS, "to_david": ", ".join(shared),
            "to_zhang": ", ".join(PEOPLE[k] for k in on_both if owner_of[PEOPLE[k]] == "张丽")}


README = """\
<!-- Generated by examples/make_shop.py: edit the tables there, then rerun it. -->
# examples/shop: a small shop's customer folder

This folder is what a small trading shop might hand over: two salespeople's own
customer lists, the order ledger, an export from the web shop's CRM, and one file
that got damaged in a download. The same customers appear in several files, typed
differently every time. Point sheetkit at the folder (`sheetkit run examples/shop`)
and compare its archive with **the right result** below. The same answer, in a form
tests can read, is in `../expected/shop/truth.json`.

Everything here is made up. Regenerate it with `python examples/make_shop.py`.

## The files

| File | Sheet | What it shows |
| --- | --- | --- |
| `销售-张丽.xlsx` | `客户名单` | Salesperson 张丽's list, Chinese headers. A merged title line, an export-date line and a blank row sit above the header (row 4). Phones typed every way: `13812345678`, `139-5712-1688`, `+86 135 8888 6666`, `177 0123 4567`, full-width `１５９２２３３４４５５`, and numbers stored as numeric cells (`8618612345678`, shown by Excel as 8.61861E+12; `13911223344`). Last-contact dates as real dates and as text (`2024/3/5`, `2024年9月12日`). Gender as 男/女. A blank row and a note-only row in the middle. A household landline. Notes that start with `+` and `=`. |
| `销售-张丽.xlsx` | `潜在客户` | Prospects with no orders yet, header on row 1. The column `来源` (lead source) is not in the schema and is carried along as an extra column. |
| `sales-david.xlsx` | `Customers` | Salesperson David's list, English headers on row 1. Five of his customers are also 张丽's, written his way: `+86` prefixes, e-mails in mixed case (`Chen.Jing@QQ.com`), names with stray spaces (`陈静 `, ` 周杰`). Gender as M/F/Male/Female. A second 张伟 and a second 赵敏. A note containing `<script>`. |
| `订单记录-2024.xlsx` | `订单` | The order ledger: one row per order, {transactions} orders from 2023-01 to 2024-12. The same customer on many rows. Amounts as numbers and as text (`¥1,280.00`, `3500元`, `18,000`), a few dates as text (`2024/1/2`, `2023年11月2日`), a name padded with a full-width space (`刘　洋`), and a `合计` totals line at the bottom. |
| `crm-export.csv` | `crm-export` | A CRM export: UTF-8 with a BOM, English headers (`Name,Mobile,Email,Company,Created`). Two of its six people are already known; one sign-up typed a formula as its name. |
| `{broken}` | — | A few bytes of garbage, not a zip: the file cannot be opened. |

Row numbers below are the numbers Excel shows at the left of the sheet (title lines
count). For the CSV they are record numbers, the header being record 1.

## The right result

- **{n} customers**: one per real person, counting the 赵敏 pair sent to Review as two
  (it becomes {n_review} if someone confirms it there).
- **{n_rows} customer rows** across the files, in {n_groups} groups; {multi} customers
  appear on more than one row. With the rejected row, sheetkit's report counts
  {n_rows_with_rejected} customer rows read.
- **{transactions} orders, {total} in total** (the `合计` line is not an order).
- **{n_rejected} rejected row**, **{n_warnings} rows kept with a warning**, **{n_review_pairs} pair for
  Review**, **{n_not_merged} pairs that must not be merged**, **{n_failed} file that cannot be read**.

### Every customer and the rows that are theirs

"Same phone" compares the digits only: spaces, dashes, `+86`/`86`, full-width digits
and numeric cells all come down to the same number. "Same e-mail" ignores case.

| # | Customer | Rows | Why these rows are one customer |
| --- | --- | --- | --- |
{groups}

### Pairs that must NOT be merged

| One | The other | Why they are two people |
| --- | --- | --- |
{not_merged}

### The pair that goes to Review

Not merged automatically, and listed on the Review sheet for a person to decide:

| One | The other | Why it is uncertain |
| --- | --- | --- |
{review}

### Rejected rows

- {rejected}: the row has only a note (`该客户已要求删除个人信息`) and no name, phone,
  e-mail, customer code or ID number. Nothing identifies a customer, so it is rejected (`no-identity`) and listed
  with its reason; it must not become a customer.

### Kept, with a warning

| Row | Customer | Issue | Why |
| --- | --- | --- | --- |
{warnings}

These stay customers; only the bad value is flagged. 王芳 is still matched with her
orders through her phone.

### Rows that are not customers

Blank rows are not in the Lineage sheet (they carry nothing); every other row here is,
with outcome `skipped`.

| Row | Why skipped |
| --- | --- |
{skipped}

### Orders

{transactions} orders; their amounts add up to **{total}**, the same figure as the
`合计` line ({totals_row}). Per customer, counting the 12 months up to {as_of} as
"last 12 months":

| Customer | Orders | Total | Last 12 months | Last order |
| --- | --- | --- | --- | --- |
{orders}

陈静 is the one customer past 50,000 in the last 12 months. 周杰 and 黄磊 bought a lot,
but only in 2023. 李秀英 appears only in the ledger.

### Owners (负责人)

张丽's lists name the owner (`负责人` on her customer list, `跟进人` on her prospects, filled
for two of the five); David's names him (`Sales Rep`). The order ledger and the CRM export
name nobody. A customer on both salespeople's lists belongs to whoever's row is the most
recent (the latest last contact), as every field of a merged customer does: so
{to_david} go to David; {to_zhang} stays with 张丽. The `Owners` sheet and the report's
section on owners have one row per owner:

| Owner | Customers | Who |
| --- | --- | --- |
{owners}

### The pool (公海)

With sheetkit's default `pool_after_days = {pool_days}`, a customer whose owner has had no
contact or order with them for more than {pool_days} days before {as_of} goes to the pool,
and so does every customer with no owner ({n_pool_no_owner} of them). **{n_pool} customers** are on the
`Pool` sheet (fell due: the last contact, order or entry date plus {pool_days} days):

| Customer | Former owner | Fell due |
| --- | --- | --- |
{pool}

### Re-verification (定期核对)

With the default `verify_after_days = {verify_days}`, **{n_verify} customers** are on the `Verify`
sheet: contact data last confirmed (the last contact; without one, the latest order or
entry date) more than {verify_days} days before {as_of}, never confirmed, or a phone or
e-mail that is not valid. Most valuable (spend in the last 12 months) first; whom to ask
is the owner:

| Customer | Ask | What to check | Last 12 months |
| --- | --- | --- | --- |
{verify}

### Tags

`examples/tags.toml` holds the three tags of the issue that asked for them, as a user
writes them:

```toml
{tags_toml}
```

With it (`sheetkit run examples/shop --config examples/tags.toml`), the Customers sheet
gets `tags_行为`, `tags_行业` and `tags_价值` beside the bundled levels, and:

| Tag | Customers |
| --- | --- |
{tags}

### The broken file

`{broken}` cannot be opened (it is not a zip). sheetkit should name it in one line
and go on with the other files; none of the numbers above depend on it.

### Safety

Values an attacker (or a careless paste) could use. Each must come out as the same
text, and do nothing:

| Row | Value | What must happen |
| --- | --- | --- |
{safety}
"""


def main() -> None:
    OUT.mkdir(exist_ok=True)
    by_file: dict[str, list[Sheet]] = {}
    for sheet in SHEETS:
        by_file.setdefault(sheet.file, []).append(sheet)
    for file, sheets in by_file.items():
        if file.endswith(".csv"):
            write_csv(OUT / file, sheets[0])
        else:
            write_xlsx(OUT / file, sheets)
    (OUT / BROKEN_FILE).write_bytes(BROKEN_BYTES)
    truth = build_truth()
    TRUTH.parent.mkdir(parents=True, exist_ok=True)
    TRUTH.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")
    (OUT / "README.md").write_text(build_readme(truth), encoding="utf-8")
    (OUT.parent / "tags.toml").write_text(TAGS_TOML, encoding="utf-8")
    print(f"wrote {OUT}: {truth['customers']} customers, {truth['transactions']} orders "
          f"totalling {truth['transactions_total']:,.2f}")


if __name__ == "__main__":
    main()
