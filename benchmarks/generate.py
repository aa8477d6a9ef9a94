"""Seeded generator of large, realistic customer workbooks for sheetkit benchmarks.

Writes one workbook with a single sheet ``客户`` holding a header row and N data
rows (N up to 1,048,575, so that the sheet reaches Excel's 1,048,576-row limit)
in 14 columns with Chinese headers:

    客户姓名 手机 邮箱 公司名称 职位 性别 地址 城市 负责人
    交易日期 交易金额 最近联系时间 建档日期 备注

The rows describe customers of a small Chinese business and carry the mess
that sheetkit has to clean up and deduplicate:

* About 80% of the rows are distinct customers (entities); the other ~20% are
  further occurrences of an entity that appears 2-5 times, either as a
  repeated order (same contact data, new order date and amount) or as a
  re-entered record (typed again by someone else: phone spelled differently,
  e-mail missing or in upper case, moved address (sometimes to another city),
  a new phone number, a new employer; the name as a homophone typo, in pinyin in
  either order (张伟 / Wei Zhang / Zhang Wei), in Traditional characters (張偉),
  as an English name with the pinyin surname (Kevin Zhang) or beside the Chinese
  one (张伟 Kevin); a Latin name in the other order or with a nickname (Bill for
  William)).
* Chinese names from a weighted list of ~100 surnames (incl. 欧阳, 司马) and
  common given names, so that 张伟, 王芳, 李娜 ... recur among *different*
  people. ~10% Latin names (``Kevin Zhang``, pinyin ``Wei Zhang``, ``John
  Smith``).
* Households: family members (different entities) share an address and a
  landline such as ``021-58881234``, often a surname and sometimes an e-mail.
* Colleagues share a company, often its office address, some its switchboard
  number, and some a generic mailbox such as ``sales@huaxintech.com``.
* 11-digit mobiles written in many spellings (``138-1234-5678``,
  ``+86 138 1234 5678``, ``8613812345678`` ...), a few % missing or invalid.
* E-mails (~70% present) at qq.com/163.com/126.com/gmail.com or a company
  domain, a few typos; real date cells for order and created dates, last
  contact sometimes typed as text (``2024/3/5``); amounts 50-200,000, some
  as text (``¥1,280.00``); notes mostly empty. All phone cells are text.

Generation is vectorised with numpy (no per-row Python loop; ~13 s for
1,048,575 rows) and seeded with ``numpy.random.default_rng(seed)``: the same
seed and row count give the same cell data (a different row count gives a
different data set, not a prefix of a larger one). The xlsx is written with rustpy_xlsxwriter (fast, Rust) when it is
installed, otherwise with xlsxwriter in constant-memory mode. xlsxwriter files
are byte-identical between runs (fixed creation date); rustpy_xlsxwriter
stamps the current time into ``docProps/core.xml``, everything else is
identical.

Usage::

    python benchmarks/generate.py --rows 100000 --out /tmp/customers_100k.xlsx \
        --seed 7 --truth /tmp/customers_100k.truth.csv
    python benchmarks/generate.py --rows 1048575 --out /tmp/customers_1m.xlsx
    python benchmarks/generate.py --rows 10000 --out /tmp/c.csv --csv

``--truth`` writes ``source_row,entity_id`` (source_row is the Excel row
number; the header is row 1) so that dedupe precision/recall can be measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

SHEET_NAME = "客户"
MAX_DATA_ROWS = 1_048_575  # + 1 header row = Excel's 1,048,576-row limit
HEADERS = [
    "客户姓名", "手机", "邮箱", "公司名称", "职位", "性别", "地址",
    "城市", "负责人", "交易日期", "交易金额", "最近联系时间", "建档日期", "备注",
]
DATE_COLUMNS = ("交易日期", "最近联系时间", "建档日期")
AMOUNT_COLUMNS = ("交易金额",)
COLUMN_WIDTHS = [12, 20, 28, 30, 10, 6, 40, 8, 8, 12, 12, 14, 12, 16]
FIXED_CREATED = dt.datetime(2025, 1, 1)  # workbook property, for reproducible files
FIRST_DAY = np.datetime64("2020-01-01")
N_DAYS = int((np.datetime64("2025-01-01") - FIRST_DAY).astype(np.int64))  # 2020-01-01 .. 2024-12-31

# Shares that shape the data set.
DUP_ROW_SHARE = 0.20          # rows that are a 2nd..5th occurrence of an entity
EXTRA_OCCURRENCES = ([1, 2, 3, 4], [0.62, 0.22, 0.11, 0.05])  # -> 2..5 rows
REENTRY_SHARE = 0.45          # duplicate rows that are re-typed records
HOUSEHOLD_MEMBER_SHARE = 0.05  # entities living in a multi-person household

# ---------------------------------------------------------------------------
# Reference data. Entries are "text:pinyin:weight" (weight optional).
# ---------------------------------------------------------------------------

SURNAMES = """
王:wang:7.12 李:li:7.00 张:zhang:6.74 刘:liu:5.38 陈:chen:4.53 杨:yang:3.08
黄:huang:2.23 赵:zhao:2.00 吴:wu:1.98 周:zhou:1.91 徐:xu:1.45 孙:sun:1.38
马:ma:1.29 朱:zhu:1.26 胡:hu:1.16 郭:guo:1.13 何:he:1.06 林:lin:1.01
高:gao:1.00 罗:luo:0.95 郑:zheng:0.88 梁:liang:0.82 谢:xie:0.72 宋:song:0.62
唐:tang:0.62 许:xu:0.60 韩:han:0.59 冯:feng:0.58 邓:deng:0.57 曹:cao:0.56
彭:peng:0.54 曾:zeng:0.54 肖:xiao:0.54 田:tian:0.51 董:dong:0.50 袁:yuan:0.48
潘:pan:0.46 于:yu:0.45 蒋:jiang:0.45 蔡:cai:0.44 余:yu:0.43 杜:du:0.42
叶:ye:0.42 程:cheng:0.41 苏:su:0.40 魏:wei:0.39 吕:lv:0.38 丁:ding:0.37
任:ren:0.36 沈:shen:0.35 姚:yao:0.34 卢:lu:0.33 姜:jiang:0.32 崔:cui:0.31
钟:zhong:0.30 谭:tan:0.29 陆:lu:0.29 汪:wang:0.28 范:fan:0.27 金:jin:0.27
石:shi:0.26 廖:liao:0.25 贾:jia:0.25 夏:xia:0.24 韦:wei:0.24 付:fu:0.23
方:fang:0.23 白:bai:0.22 邹:zou:0.22 孟:meng:0.21 熊:xiong:0.21 秦:qin:0.20
邱:qiu:0.20 江:jiang:0.20 尹:yin:0.19 薛:xue:0.19 闫:yan:0.18 段:duan:0.18
雷:lei:0.18 侯:hou:0.17 龙:long:0.17 史:shi:0.17 陶:tao:0.16 黎:li:0.16
贺:he:0.15 顾:gu:0.15 毛:mao:0.15 郝:hao:0.14 龚:gong:0.14 邵:shao:0.14
万:wan:0.13 钱:qian:0.13 严:yan:0.12 覃:qin:0.12 武:wu:0.12 戴:dai:0.12
莫:mo:0.11 孔:kong:0.11 向:xiang:0.10 汤:tang:0.10 欧阳:ouyang:0.03
司马:sima:0.01 上官:shangguan:0.01 诸葛:zhuge:0.01 东方:dongfang:0.01
"""

# Given-name characters; the two lists overlap a little (华, 文, 春 ...).
MALE_CHARS = """
伟:wei 强:qiang 磊:lei 军:jun 洋:yang 勇:yong 杰:jie 涛:tao 明:ming 超:chao
刚:gang 平:ping 辉:hui 鹏:peng 华:hua 飞:fei 鑫:xin 波:bo 斌:bin 宇:yu 浩:hao
凯:kai 健:jian 俊:jun 帆:fan 帅:shuai 旭:xu 宁:ning 龙:long 林:lin 峰:feng
建:jian 国:guo 成:cheng 东:dong 亮:liang 海:hai 文:wen 博:bo 志:zhi 昊:hao
晨:chen 子:zi 轩:xuan 睿:rui 泽:ze 航:hang 毅:yi 兵:bing 锋:feng 雷:lei
彬:bin 鸣:ming 晓:xiao 小:xiao 新:xin 永:yong 德:de 庆:qing 春:chun 金:jin
忠:zhong 荣:rong 天:tian 阳:yang 振:zhen 家:jia 嘉:jia 一:yi 宏:hong 中:zhong
立:li 然:ran 元:yuan 光:guang 伦:lun
"""
FEMALE_CHARS = """
芳:fang 娜:na 敏:min 静:jing 丽:li 艳:yan 娟:juan 霞:xia 秀:xiu 英:ying 玲:ling
桂:gui 兰:lan 萍:ping 燕:yan 红:hong 梅:mei 琳:lin 雪:xue 婷:ting 慧:hui
莉:li 倩:qian 颖:ying 洁:jie 琴:qin 云:yun 璐:lu 欣:xin 怡:yi 佳:jia 悦:yue
蕾:lei 薇:wei 晶:jing 瑶:yao 雯:wen 露:lu 丹:dan 凤:feng 月:yue 春:chun
华:hua 晓:xiao 小:xiao 思:si 雨:yu 子:zi 梓:zi 涵:han 萱:xuan 诗:shi 琪:qi
媛:yuan 宁:ning 文:wen 亚:ya 海:hai 美:mei 玉:yu 珍:zhen 爱:ai 青:qing 晴:qing
"""
# Popular complete given names: these make 张伟, 王芳 ... frequent.
POPULAR_MALE = """
伟:30 强:12 磊:12 军:12 勇:11 杰:10 涛:10 明:9 超:9 刚:8 平:7 辉:7 鹏:6 华:6
飞:6 鑫:6 波:6 斌:5 宇:5 浩:5 凯:5 健:5 俊:5 志强:5 建华:4 建国:4 海涛:4
晓东:4 志明:3 文博:3 子轩:3 浩然:3 国庆:2 建军:3 小龙:2
"""
POPULAR_FEMALE = """
芳:25 娜:20 敏:18 静:18 丽:15 艳:14 娟:12 霞:10 秀英:15 桂英:8 玲:8 燕:8
萍:7 红:7 丹:6 婷:6 雪:5 琳:5 倩:5 颖:5 晶:5 洁:5 秀兰:4 丽娟:4 晓燕:4
欣怡:3 子涵:3 梓萱:3 雨涵:3 海燕:3 玉兰:2 春梅:2
"""
POPULAR_NAME_SHARE = 0.25
# Homophones an input method offers for the same pinyin: the usual typo.
TYPO_CHARS = dict(
    pair.split(":") for pair in """
伟:玮 丽:莉 静:婧 军:君 明:铭 芳:方 娜:那 敏:民 杰:洁 涛:韬 勇:永 艳:燕
霞:侠 华:桦 平:萍 刚:钢 红:虹 玲:琳 林:琳 峰:锋 锋:峰 磊:蕾 鹏:朋 辉:晖
斌:彬 彬:斌 洁:杰 琳:林 燕:艳 萍:平 婷:亭 倩:茜 颖:莹 晶:静 欣:馨 怡:宜
佳:嘉 嘉:佳 宇:雨 浩:豪 凯:楷 俊:峻 帆:凡 旭:煦 龙:隆 建:健 健:建 东:冬
亮:靓 英:莹 兰:岚 梅:玫 雪:薛 慧:惠 琴:芹 云:芸 瑶:遥 雯:文 丹:单 凤:风
""".split()
)
TYPO_SURNAMES = dict(
    pair.split(":") for pair in "张:章 王:汪 李:黎 刘:柳 陈:程 杨:阳 黄:王 徐:许 许:徐 林:凌".split()
)

EN_MALE = """James John Robert Michael David William Richard Joseph Thomas Kevin
Jason Eric Jack Tony Peter Frank Leo Sam Alex Daniel Henry Andy Vincent Steven
Simon Ryan Brian Allen Jerry Tom""".split()
EN_FEMALE = """Mary Linda Jennifer Lisa Emily Grace Amy Cindy Helen Jessica Sarah
Anna Lily Lucy Vivian Cathy Annie Judy Sophia Emma Olivia Alice Fiona Irene
Joyce Nancy Rachel Sandy Tina Wendy""".split()
NICKNAMES = dict(pair.split(":") for pair in """James:Jim John:Johnny Robert:Bob Michael:Mike
David:Dave William:Bill Richard:Rick Joseph:Joe Thomas:Tom Daniel:Dan Henry:Hank Steven:Steve
Peter:Pete Samuel:Sam Jennifer:Jenny Jessica:Jess Elizabeth:Liz Catherine:Cathy Susan:Sue
Rachel:Rae Emily:Em Sophia:Sophie Olivia:Liv Alexander:Alex Anthony:Tony Kevin:Kev""".split())
EN_LAST = """Smith Johnson Williams Brown Jones Miller Davis Wilson Taylor Anderson
Thomas Moore Martin Lee Clark Lewis Walker Hall Young King Wright Scott Green
Baker Adams Nelson Hill Campbell Mitchell Roberts Schmidt Tanaka Kim Park
Nguyen Müller""".split()

# city:pinyin:area code:weight|districts
CITIES = """
上海:shanghai:021:30|浦东新区 徐汇区 静安区 闵行区 黄浦区 长宁区 普陀区 杨浦区 宝山区 嘉定区 松江区
北京:beijing:010:12|朝阳区 海淀区 东城区 西城区 丰台区 通州区 昌平区 大兴区
广州:guangzhou:020:7|天河区 越秀区 海珠区 白云区 番禺区 黄埔区
深圳:shenzhen:0755:8|南山区 福田区 罗湖区 宝安区 龙岗区 龙华区
杭州:hangzhou:0571:6|西湖区 上城区 拱墅区 滨江区 余杭区 萧山区
南京:nanjing:025:4|鼓楼区 玄武区 秦淮区 建邺区 江宁区 栖霞区
苏州:suzhou:0512:5|姑苏区 工业园区 吴中区 相城区 虎丘区
成都:chengdu:028:4|锦江区 青羊区 武侯区 成华区 高新区 金牛区
武汉:wuhan:027:3|江汉区 武昌区 洪山区 江岸区 汉阳区
重庆:chongqing:023:3|渝中区 江北区 南岸区 九龙坡区 渝北区
天津:tianjin:022:3|和平区 河西区 南开区 河东区 滨海新区
西安:xian:029:2|雁塔区 碑林区 未央区 莲湖区 新城区
宁波:ningbo:0574:3|海曙区 江北区 鄞州区 北仑区
厦门:xiamen:0592:2|思明区 湖里区 集美区 海沧区
青岛:qingdao:0532:2|市南区 市北区 崂山区 黄岛区
长沙:changsha:0731:2|岳麓区 芙蓉区 天心区 开福区
郑州:zhengzhou:0371:2|金水区 二七区 中原区 郑东新区
合肥:hefei:0551:1|蜀山区 包河区 庐阳区 瑶海区
东莞:dongguan:0769:2|南城街道 东城街道 长安镇 虎门镇
佛山:foshan:0757:2|禅城区 南海区 顺德区 三水区
"""
STREETS = """人民路 中山路 解放路 建设路 和平路 新华路 文化路 胜利路 青年路 朝阳路
东风路 光明路 幸福路 友谊路 长江路 黄河路 学院路 科技路 创业路 工业路 金桥路 张江路
世纪大道 滨江大道 迎宾大道 高新大道 南京东路 北京西路 延安路 淮海路 江南大道 湖滨路
花园路 锦绣路 天府大道 珠江路 深南大道 体育路 环城北路 东方路 龙华路 虹桥路 中兴路
复兴路 振兴路 团结路 前进路 红旗路 五一路 八一路""".split()

BRAND_CHARS = """
华:hua 信:xin 达:da 恒:heng 泰:tai 瑞:rui 宏:hong 鑫:xin 盛:sheng 源:yuan
安:an 康:kang 博:bo 创:chuang 新:xin 通:tong 联:lian 佳:jia 嘉:jia 汇:hui
金:jin 丰:feng 利:li 隆:long 昌:chang 祥:xiang 和:he 兴:xing 旺:wang 远:yuan
航:hang 天:tian 宇:yu 中:zhong 科:ke 云:yun 智:zhi 海:hai 东:dong 明:ming
光:guang 辉:hui 德:de 永:yong 成:cheng 长:chang 方:fang 正:zheng 合:he 力:li
诚:cheng 邦:bang 迈:mai 锐:rui 晨:chen 星:xing 腾:teng 飞:fei 美:mei 优:you
润:run 凯:kai 拓:tuo 骏:jun 亿:yi 万:wan 百:bai 千:qian 宝:bao 富:fu 荣:rong
耀:yao 卓:zhuo 越:yue 峰:feng 岳:yue 川:chuan 江:jiang 河:he 湖:hu 山:shan 林:lin
森:sen 松:song 竹:zhu 梅:mei 兰:lan 龙:long 凤:feng 鹏:peng 鸿:hong 麒:qi 麟:lin
驰:chi 捷:jie 迅:xun 精:jing 工:gong 艺:yi 匠:jiang 品:pin 义:yi 仁:ren 惠:hui
普:pu 众:zhong 民:min 福:fu 喜:xi 乐:le 欣:xin 悦:yue 尚:shang 雅:ya 致:zhi 景:jing
泓:hong 浩:hao 瀚:han 澜:lan 涛:tao 益:yi 展:zhan 弘:hong 伟:wei 坤:kun 乾:qian
鼎:ding 晟:sheng 昊:hao 旭:xu 阳:yang 青:qing 蓝:lan 思:si
"""
# Chinese industry | English industry | domain stem | weight
INDUSTRIES = """
科技|Technology|tech|14
信息技术|Information Technology|it|6
网络科技|Network Technology|net|5
电子|Electronics|elec|5
贸易|Trading|trade|12
国际贸易|International Trading|intl|4
实业|Industrial|ind|4
机械设备|Machinery|mach|4
建材|Building Materials|build|3
物流|Logistics|logistics|3
餐饮管理|Catering|catering|3
文化传媒|Media|media|3
广告|Advertising|ad|2
咨询|Consulting|consult|3
教育科技|Education|edu|2
医疗器械|Medical Devices|med|2
生物科技|Biotech|bio|2
食品|Food|food|3
服饰|Apparel|fashion|2
化工|Chemical|chem|2
环保科技|Environmental Technology|eco|2
汽车服务|Auto Service|auto|2
装饰工程|Decoration|deco|2
印刷|Printing|print|1
电气|Electric|electric|2
软件|Software|soft|3
"""
COMPANY_SUFFIXES = "有限公司:70 有限责任公司:10 股份有限公司:8 商行:4 工作室:4 经营部:4"
EN_COMPANY_SUFFIXES = [("Co., Ltd.", 70), ("Ltd.", 15), ("Inc.", 8), ("Co.,Ltd", 7)]
FREE_DOMAINS = "qq.com:30 163.com:28 126.com:12 gmail.com:7 sina.com:6 hotmail.com:5 outlook.com:5 foxmail.com:4 139.com:3"
GENERIC_MAILBOXES = "info sales service contact admin office hr".split()
TITLES = """:30 经理:10 总经理:6 销售经理:5 采购经理:6 采购:6 财务:4 会计:3 行政:3
总监:3 技术总监:2 工程师:4 主管:4 助理:3 董事长:2 老板:4 店长:3 客服:2 HR:1
市场专员:2 CEO:1 副总:2 项目经理:3"""
NOTES = """老客户:10 VIP:6 需要发票:8 已加微信:10 电话未接通:6 展会客户:5 年底回访:4
朋友介绍:5 价格敏感:3 请勿打扰:2 要求月结:3 已寄样品:3 大客户:2 投诉过:1 微信同号:3"""


MOBILE_PREFIXES = """130:3 131:3 132:3 133:2 134:2 135:4 136:4 137:4 138:5 139:5 150:3
151:3 152:2 153:2 155:2 156:2 157:2 158:3 159:3 166:1 170:1 173:1 176:2 177:2 178:1
180:2 181:2 182:2 183:2 184:1 185:2 186:3 187:2 188:2 189:3 191:1 198:1 199:2"""
# Spellings of a mobile 13812345678 (weights: first occurrences / order rows).
MOBILE_FORMATS = [  # (name, weight)
    ("13812345678", 62), ("138-1234-5678", 10), ("138 1234 5678", 8),
    ("+86 138 1234 5678", 7), ("+8613812345678", 4), ("8613812345678", 4),
    (" 13812345678 ", 3), ("+86-13812345678", 2),
]
LANDLINE_FORMATS = [
    ("021-58881234", 60), ("(021)58881234", 12), ("02158881234", 12),
    ("021 5888 1234", 10), ("+86 21 5888 1234", 6),
]
ROOM_FORMATS = [("", 35), ("1203室", 20), ("3号楼502室", 20), ("A座1203室", 15), ("2栋1单元301", 10)]
DATE_TEXT_FORMATS = [("2024/3/5", 55), ("2024-03-05", 20), ("2024年3月5日", 15), ("2024.3.5", 10)]
AMOUNT_TEXT_FORMATS = [("¥1,280.00", 40), ("1280元", 20), ("1,280.00", 20), ("￥1280", 10), ("RMB 1,280", 10)]


# ---------------------------------------------------------------------------
# Parsing the reference data
# ---------------------------------------------------------------------------

def parse_entries(text: str) -> list[list[str]]:
    """Split whitespace-separated, colon-separated entries ("a:b:c")."""
    return [entry.split(":") for entry in text.split()]


def parse_weighted(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Parse "value:weight ..." (value may be empty) into values and probabilities."""
    pairs = [entry.rpartition(":")[::2] for entry in text.split()]
    return np.array([v for v, _ in pairs]), normalise([float(w) for _, w in pairs])


def normalise(weights) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return w / w.sum()


def cap(words) -> np.ndarray:
    """Capitalise each word of a small list ("zhang" -> "Zhang")."""
    return np.array([w[:1].upper() + w[1:] for w in words])


@dataclass(frozen=True)
class Tables:
    """Reference data as numpy arrays; the generator indexes into these."""

    surname: np.ndarray
    surname_py: np.ndarray
    surname_cap: np.ndarray
    surname_p: np.ndarray
    surname_typo: np.ndarray
    char: np.ndarray          # given-name characters (male and female lists merged)
    char_py: np.ndarray
    char_cap: np.ndarray
    char_typo: np.ndarray     # homophone used for a typo, "" if none
    gender_chars: tuple       # (male, female): indices into char
    popular: tuple            # (male, female): (first char, second char or -1, p)
    en_first: tuple           # (male, female)
    en_last: np.ndarray
    city: np.ndarray
    city_py: np.ndarray
    city_area: np.ndarray
    city_p: np.ndarray
    district: np.ndarray      # all cities' districts, flat
    district_start: np.ndarray
    district_count: np.ndarray
    street: np.ndarray
    brand: np.ndarray
    brand_py: np.ndarray
    brand_cap: np.ndarray
    industry: np.ndarray
    industry_en: np.ndarray
    industry_stem: np.ndarray
    industry_p: np.ndarray
    suffix: np.ndarray
    suffix_p: np.ndarray
    en_suffix: np.ndarray
    en_suffix_p: np.ndarray
    free_domain: np.ndarray
    free_domain_p: np.ndarray
    mobile_prefix: np.ndarray
    mobile_prefix_p: np.ndarray
    title: np.ndarray
    title_p: np.ndarray
    note: np.ndarray
    note_p: np.ndarray


@functools.lru_cache(maxsize=1)
def load_tables() -> Tables:
    """Turn the reference strings above into arrays (small, done once)."""
    sur = parse_entries(SURNAMES)

    chars: list[str] = []
    pinyin: list[str] = []
    index: dict[str, int] = {}
    gender_chars = []
    for text in (MALE_CHARS, FEMALE_CHARS):
        idx: list[int] = []
        for ch, py in parse_entries(text):
            if ch not in index:
                index[ch] = len(chars)
                chars.append(ch)
                pinyin.append(py)
            if index[ch] not in idx:
                idx.append(index[ch])
        gender_chars.append(np.array(idx))

    popular = []
    for text in (POPULAR_MALE, POPULAR_FEMALE):
        names, p = parse_weighted(text)
        first = np.array([index[n[0]] for n in names])
        second = np.array([index[n[1]] if len(n) > 1 else -1 for n in names])
        popular.append((first, second, p))

    cities, districts, starts, counts = [], [], [], []
    for line in CITIES.strip().splitlines():
        head, dists = line.split("|")
        cities.append(head.split(":"))
        starts.append(len(districts))
        counts.append(len(dists.split()))
        districts.extend(dists.split())

    brands = parse_entries(BRAND_CHARS)
    industries = [line.split("|") for line in INDUSTRIES.strip().splitlines()]
    suffix, suffix_p = parse_weighted(COMPANY_SUFFIXES)
    domains, domains_p = parse_weighted(FREE_DOMAINS)
    prefixes, prefixes_p = parse_weighted(MOBILE_PREFIXES)
    titles, titles_p = parse_weighted(TITLES)
    notes, notes_p = parse_weighted(NOTES)

    return Tables(
        surname=np.array([s[0] for s in sur]),
        surname_py=np.array([s[1] for s in sur]),
        surname_cap=cap([s[1] for s in sur]),
        surname_p=normalise([float(s[2]) for s in sur]),
        surname_typo=np.array([TYPO_SURNAMES.get(s[0], "") for s in sur]),
        char=np.array(chars),
        char_py=np.array(pinyin),
        char_cap=cap(pinyin),
        char_typo=np.array([TYPO_CHARS.get(c, "") for c in chars]),
        gender_chars=tuple(gender_chars),
        popular=tuple(popular),
        en_first=(np.array(EN_MALE), np.array(EN_FEMALE)),
        en_last=np.array(EN_LAST),
        city=np.array([c[0] for c in cities]),
        city_py=np.array([c[1] for c in cities]),
        city_area=np.array([c[2] for c in cities]),
        city_p=normalise([float(c[3]) for c in cities]),
        district=np.array(districts),
        district_start=np.array(starts),
        district_count=np.array(counts),
        street=np.array(STREETS),
        brand=np.array([b[0] for b in brands]),
        brand_py=np.array([b[1] for b in brands]),
        brand_cap=cap([b[1] for b in brands]),
        industry=np.array([i[0] for i in industries]),
        industry_en=np.array([i[1] for i in industries]),
        industry_stem=np.array([i[2] for i in industries]),
        industry_p=normalise([float(i[3]) for i in industries]),
        suffix=suffix,
        suffix_p=suffix_p,
        en_suffix=np.array([s for s, _ in EN_COMPANY_SUFFIXES]),
        en_suffix_p=normalise([w for _, w in EN_COMPANY_SUFFIXES]),
        free_domain=domains,
        free_domain_p=domains_p,
        mobile_prefix=prefixes,
        mobile_prefix_p=prefixes_p,
        title=titles,
        title_p=titles_p,
        note=notes,
        note_p=notes_p,
    )


# ---------------------------------------------------------------------------
# Vectorised helpers
# ---------------------------------------------------------------------------

def cat(*parts) -> np.ndarray:
    """Element-wise concatenation of string arrays and/or scalars."""
    return functools.reduce(np.strings.add, parts)


def istr(a) -> np.ndarray:
    """Non-negative integers as tight strings ('<U{width}'; astype(str) gives '<U21')."""
    a = np.asarray(a)
    return a.astype(f"U{len(str(int(a.max()))) if a.size else 1}")


def switch(codes: np.ndarray, *branches) -> np.ndarray:
    """Per-row choice between string branches, each built only for its own rows.

    Row i gets branches[codes[i]]; a branch is a string or a function of the
    row indices returning one string per index.
    """
    parts = []
    for k, branch in enumerate(branches):
        idx = np.flatnonzero(codes == k)
        if len(idx):  # (some np.strings functions fail on empty input)
            parts.append((idx, branch(idx) if callable(branch) else branch))
    width = max([np.asarray(v).dtype.itemsize // 4 for _, v in parts] + [1])
    out = np.empty(len(codes), dtype=f"U{width}")
    for idx, values in parts:
        out[idx] = values
    return out


def pick(rng: np.random.Generator, n: int, p) -> np.ndarray:
    """n indices drawn with probabilities p."""
    return rng.choice(len(p), size=n, p=p)


def pick_format(rng: np.random.Generator, n: int, formats) -> np.ndarray:
    """n format codes drawn from a [(example, weight), ...] list."""
    return pick(rng, n, normalise([w for _, w in formats]))


def flip(rng: np.random.Generator, n: int, p: float) -> np.ndarray:
    """n booleans, each True with probability p."""
    return rng.random(n) < p


def digits(rng: np.random.Generator, n: int, width: int) -> np.ndarray:
    """n random digit strings of exactly `width` digits (leading zeros kept)."""
    raw = rng.integers(ord("0"), ord("9") + 1, size=(n, width), dtype=np.uint8)
    return raw.view(f"S{width}").ravel().astype(f"U{width}")


def letters(rng: np.random.Generator, n: int, lo: int, hi: int) -> np.ndarray:
    """n random lowercase strings of length lo..hi."""
    raw = rng.integers(ord("a"), ord("z") + 1, size=(n, hi), dtype=np.uint8)
    full = raw.view(f"S{hi}").ravel().astype(f"U{hi}")
    return np.strings.slice(full, 0, rng.integers(lo, hi + 1, n))


def duplicated(a: np.ndarray) -> np.ndarray:
    """True for every value already seen earlier in a."""
    return pd.Series(a.astype(object), dtype=object).duplicated().to_numpy()


def patch(out: np.ndarray, sel: np.ndarray, values) -> np.ndarray:
    """out with out[sel] = values(idx), idx being the selected row indices.

    `sel` is a boolean mask or an index array; `values` returns one value per
    selected row and is not called when nothing is selected (several
    np.strings functions fail on empty input). A fixed-width string array is
    widened first, since numpy would silently truncate longer strings.
    """
    idx = np.flatnonzero(sel) if np.asarray(sel).dtype == bool else np.asarray(sel)
    if not len(idx):
        return out
    values = np.asarray(values(idx))
    if out.dtype.kind == "U" and values.dtype.kind == "U" and values.itemsize > out.itemsize:
        out = out.astype(values.dtype)
    out[idx] = values
    return out


def group_sizes(rng: np.random.Generator, total: int, sizes, p) -> np.ndarray:
    """Random group sizes (drawn from `sizes` with probabilities p) summing to `total`."""
    if total <= 0:
        return np.zeros(0, dtype=np.int64)
    draw = np.asarray(sizes)[pick(rng, total, normalise(p))]
    ends = np.cumsum(draw)
    k = int(np.searchsorted(ends, total)) + 1
    draw = draw[:k].copy()
    draw[-1] -= ends[k - 1] - total
    return draw


def date_parts(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month, day (as strings without leading zeros) of day offsets from 2020-01-01."""
    d = FIRST_DAY + days
    months = d.astype("datetime64[M]")
    year = istr(d.astype("datetime64[Y]").astype(np.int64) + 1970)
    month = istr(months.astype(np.int64) % 12 + 1)
    day = istr((d - months).astype(np.int64) + 1)
    return year, month, day


def zfill(a: np.ndarray, width: int) -> np.ndarray:
    """np.strings.zfill, which fails on empty arrays."""
    return np.strings.zfill(a, width) if a.size else a


def split_cents(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Non-negative amounts as (whole units, two-digit cents string)."""
    total = np.round(x * 100).astype(np.int64)
    return total // 100, zfill(istr(total % 100), 2)


def thousands(n: np.ndarray) -> np.ndarray:
    """Integers < 1e9 with thousands separators: 1280 -> "1,280"."""
    n = n.astype(np.int64)
    millions, thousands_, units = n // 1_000_000, (n // 1000) % 1000, n % 1000
    u, k, m = istr(units), istr(thousands_), istr(millions)
    return switch(
        (n >= 1000).astype(int) + (n >= 1_000_000),
        lambda i: u[i],
        lambda i: cat(k[i], ",", zfill(u[i], 3)),
        lambda i: cat(m[i], ",", zfill(k[i], 3), ",", zfill(u[i], 3)),
    )


# ---------------------------------------------------------------------------
# Entities and their occurrences
# ---------------------------------------------------------------------------

def plan_rows(rng: np.random.Generator, n_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Decide which entity each row belongs to.

    Returns (entity of each row, occurrence number of each row within its
    entity: 0 for the first). Rows are grouped by entity here; they are put in
    sheet order later.
    """
    n_entities = max(1, n_rows - int(round(n_rows * DUP_ROW_SHARE)))
    extra = group_sizes(rng, n_rows - n_entities, *EXTRA_OCCURRENCES)
    counts = np.ones(n_entities, dtype=np.int64)
    counts[rng.choice(n_entities, size=len(extra), replace=False)] += extra
    entity = np.repeat(np.arange(n_entities), counts)
    occurrence = np.arange(n_rows) - np.repeat(np.cumsum(counts) - counts, counts)
    return entity, occurrence


def make_people(rng: np.random.Generator, n: int, T: Tables) -> dict:
    """Gender, name components and script (Chinese / Latin) of n people."""
    gender = (rng.random(n) < 0.5).astype(np.int8)       # 0 male, 1 female
    # 0 Chinese, 1 English first name + pinyin surname, 2 pinyin "Wei Zhang", 3 foreign
    script = pick(rng, n, [0.90, 0.04, 0.03, 0.03]).astype(np.int8)
    sur = pick(rng, n, T.surname_p)
    g1 = np.empty(n, dtype=np.int64)
    g2 = np.full(n, -1, dtype=np.int64)
    en_first = np.empty(n, dtype=object)
    for g in (0, 1):
        idx = np.flatnonzero(gender == g)
        pool = T.gender_chars[g]
        first, second, p = T.popular[g]
        popular = flip(rng, len(idx), POPULAR_NAME_SHARE)
        which = pick(rng, len(idx), p)
        two = flip(rng, len(idx), 0.75)
        g1[idx] = np.where(popular, first[which], pool[rng.integers(0, len(pool), len(idx))])
        g2[idx] = np.where(popular, second[which],
                           np.where(two, pool[rng.integers(0, len(pool), len(idx))], -1))
        en_first[idx] = T.en_first[g][rng.integers(0, len(T.en_first[g]), len(idx))]
    en_last = T.en_last[rng.integers(0, len(T.en_last), n)]
    return dict(gender=gender, script=script, sur=sur, g1=g1, g2=g2,
                en_first=en_first.astype(str), en_last=en_last,
                pinyin_order=flip(rng, n, 0.25))  # "Zhang Wei" instead of "Wei Zhang"


def given_name(T: Tables, g1: np.ndarray, g2: np.ndarray) -> np.ndarray:
    """Given names from one or two character indices (g2 = -1: one character)."""
    return cat(T.char[g1], np.where(g2 >= 0, T.char[np.maximum(g2, 0)], ""))


def given_pinyin(T: Tables, g1: np.ndarray, g2: np.ndarray, capital: bool = False) -> np.ndarray:
    """'wei', 'xiuying' (or 'Xiuying' with capital=True)."""
    first = (T.char_cap if capital else T.char_py)[g1]
    return cat(first, np.where(g2 >= 0, T.char_py[np.maximum(g2, 0)], ""))


def pinyin_name(T: Tables, p: dict, idx=slice(None), order=None) -> np.ndarray:
    """'Wei Zhang' (or 'Zhang Wei', where order / the person's habit says so) for the people at idx."""
    given = given_pinyin(T, p["g1"][idx], p["g2"][idx], capital=True)
    family = T.surname_cap[p["sur"][idx]]
    order = p["pinyin_order"][idx] if order is None else order
    return np.where(order, cat(family, " ", given), cat(given, " ", family))


def traditional(names: np.ndarray) -> np.ndarray:
    """Names in Traditional characters (張偉 for 张伟), as a Hong Kong or Taiwan colleague types them."""
    import opencc

    convert = opencc.OpenCC("s2t").convert
    uniques, inverse = np.unique(names, return_inverse=True)
    return np.array([convert(u) for u in uniques.tolist()])[inverse]


def nickname(names: np.ndarray) -> np.ndarray:
    """'Bill Smith' for 'William Smith': the first word replaced by its usual short form, if any."""
    first, _, rest = np.strings.partition(names, " ")
    short = np.array([NICKNAMES.get(f, f) for f in first.tolist()]) if len(first) else first
    return np.where(rest != "", cat(short, " ", rest), names)


def render_names(T: Tables, p: dict) -> np.ndarray:
    """The canonical written name of every person."""
    sur, g1, g2, first = p["sur"], p["g1"], p["g2"], p["en_first"]
    return switch(
        p["script"],
        lambda i: cat(T.surname[sur[i]], given_name(T, g1[i], g2[i])),
        lambda i: cat(first[i], " ", T.surname_cap[sur[i]]),
        lambda i: pinyin_name(T, p, i),
        lambda i: cat(first[i], " ", p["en_last"][i]),
    )


def name_typo(T: Tables, p: dict, ent: np.ndarray) -> np.ndarray:
    """A typo'd Chinese name for entities `ent`: a homophone of a given-name
    character (what a pinyin input method offers), else of the surname, else a
    stray space between surname and given name."""
    sur, g1, g2 = p["sur"][ent], p["g1"][ent], p["g2"][ent]
    surname, c1 = T.surname[sur], T.char[g1]
    c2 = np.where(g2 >= 0, T.char[np.maximum(g2, 0)], "")
    t1, t2 = T.char_typo[g1], np.where(g2 >= 0, T.char_typo[np.maximum(g2, 0)], "")
    ts = T.surname_typo[sur]
    use2 = (t2 != "") & ((t1 == "") | (ent % 2 == 0))
    use1 = (t1 != "") & ~use2
    uses = ~use1 & ~use2 & (ts != "")
    return np.select(
        [use2, use1, uses],
        [cat(surname, c1, t2), cat(surname, t1, c2), cat(ts, c1, c2)],
        cat(surname, " ", c1, c2),
    )


# ---------------------------------------------------------------------------
# Companies, addresses, households
# ---------------------------------------------------------------------------

def make_addresses(rng: np.random.Generator, n: int, T: Tables, city=None) -> dict:
    """Random street addresses (components), optionally in given cities."""
    if city is None:
        city = pick(rng, n, T.city_p)
    district = T.district_start[city] + (rng.random(n) * T.district_count[city]).astype(np.int64)
    room = cat(istr(rng.integers(1, 33, n)), zfill(istr(rng.integers(1, 9, n)), 2))
    building = istr(rng.integers(1, 12, n))
    wing = np.array(list("ABCD"))[rng.integers(0, 4, n)]
    unit = istr(rng.integers(1, 5, n))
    suffix = switch(
        pick_format(rng, n, ROOM_FORMATS),
        "",
        lambda i: cat(room[i], "室"),
        lambda i: cat(building[i], "号楼", room[i], "室"),
        lambda i: cat(wing[i], "座", room[i], "室"),
        lambda i: cat(building[i], "栋", unit[i], "单元", room[i]),
    )
    number = istr(np.exp(rng.uniform(0, np.log(1500), n)).astype(np.int64))  # log-uniform 1..1499
    return dict(city=city, district=district,
                street=T.street[rng.integers(0, len(T.street), n)],
                number=number, suffix=suffix)


def take(addr: dict, idx) -> dict:
    """The addresses at idx."""
    return {k: v[idx] for k, v in addr.items()}


def put(addr: dict, mask: np.ndarray, src: dict) -> None:
    """Replace the addresses under mask with src (one address per True)."""
    for k in addr:
        addr[k] = patch(addr[k], mask, lambda _: src[k])


def render_address(T: Tables, a: dict, style: np.ndarray | None = None) -> np.ndarray:
    """上海市浦东新区张江路123号1203室; style 1 drops 市, style 2 drops the city."""
    city = cat(T.city[a["city"]], "市")
    if style is not None:
        city = np.select([style == 1, style == 2], [T.city[a["city"]], ""], city)
    return cat(city, T.district[a["district"]], a["street"], a["number"], "号", a["suffix"])


def make_companies(rng: np.random.Generator, n_with_company: int, T: Tables) -> tuple[dict, np.ndarray]:
    """Companies with Zipf-like contact counts.

    Returns (company attributes, company index of each of the n_with_company
    contacts, in random order).
    """
    sizes = np.minimum(rng.zipf(2.2, max(8, n_with_company)), 400)
    ends = np.cumsum(sizes)
    n = int(np.searchsorted(ends, n_with_company)) + 1
    members = rng.permutation(np.repeat(np.arange(n), sizes[:n]))[:n_with_company]

    nb = len(T.brand)
    b1, b2 = rng.integers(0, nb, n), rng.integers(0, nb, n)
    industry = pick(rng, n, T.industry_p)
    city = pick(rng, n, T.city_p)
    style = pick(rng, n, [0.55, 0.30, 0.08, 0.07])  # 上海华信.. / 华信.. / 华信..(上海).. / English
    suffix = T.suffix[pick(rng, n, T.suffix_p)]
    en_suffix = T.en_suffix[pick(rng, n, T.en_suffix_p)]
    en_city = np.where(flip(rng, n, 0.5), cat(cap(T.city_py)[city], " "), "")

    def brand(i):
        return cat(T.brand[b1[i]], T.brand[b2[i]])

    def en_brand(i):
        return cat(T.brand_cap[b1[i]], T.brand_py[b2[i]])

    def names_of(i):
        ind = industry[i]
        return switch(
            style[i],
            lambda j: cat(T.city[city[i[j]]], brand(i[j]), T.industry[ind[j]], suffix[i[j]]),
            lambda j: cat(brand(i[j]), T.industry[ind[j]], suffix[i[j]]),
            lambda j: cat(brand(i[j]), T.industry[ind[j]], "(", T.city[city[i[j]]], ")", suffix[i[j]]),
            lambda j: cat(en_city[i[j]], en_brand(i[j]), " ", T.industry_en[ind[j]], " ", en_suffix[i[j]]),
        )

    everyone = np.arange(n)
    names = names_of(everyone)
    for _ in range(20):  # re-roll the brand of later namesakes until names are unique
        i = np.flatnonzero(duplicated(names))
        if not len(i):
            break
        b1[i], b2[i] = rng.integers(0, nb, len(i)), rng.integers(0, nb, len(i))
        names = patch(names, i, names_of)
    short = np.where(style == 3, cat(en_brand(everyone), " ", T.industry_en[industry]),
                     cat(brand(everyone), T.industry[industry]))

    tld = np.array([".com", ".cn", ".com.cn"])[pick(rng, n, [0.7, 0.2, 0.1])]
    stem = cat(T.brand_py[b1], T.brand_py[b2], T.industry_stem[industry])
    domain = cat(stem, tld)
    domain = patch(domain, duplicated(domain), lambda i: cat(T.city_py[city[i]], domain[i]))
    domain = patch(domain, duplicated(domain), lambda i: cat(stem[i], istr(i), tld[i]))

    company = dict(
        name=names, short=short, domain=domain,
        address=make_addresses(rng, n, T, city),
        landline=cat(T.city_area[city], istr(rng.integers(2, 9, n)), digits(rng, n, 7)),
        mailbox=np.array(GENERIC_MAILBOXES)[rng.integers(0, len(GENERIC_MAILBOXES), n)],
        has_mailbox=flip(rng, n, 0.10) & (np.bincount(members, minlength=n) >= 2),
        size=np.bincount(members, minlength=n),
    )
    return company, members


def make_households(rng: np.random.Generator, n_entities: int) -> tuple[np.ndarray, np.ndarray]:
    """Group ~5% of the entities into households of 2-4.

    Returns (household id per entity, -1 if none; the household's first member
    for every entity, -1 if none).
    """
    sizes = group_sizes(rng, int(n_entities * HOUSEHOLD_MEMBER_SHARE), [2, 3, 4], [0.6, 0.3, 0.1])
    if len(sizes) and sizes[-1] < 2:  # never a one-person "household"
        sizes = sizes[:-1]
    members = rng.permutation(n_entities)[: sizes.sum()]
    hh = np.repeat(np.arange(len(sizes)), sizes)
    leaders = members[np.cumsum(sizes) - sizes]
    household = np.full(n_entities, -1, dtype=np.int64)
    leader = np.full(n_entities, -1, dtype=np.int64)
    household[members] = hh
    leader[members] = leaders[hh]
    return household, leader


# ---------------------------------------------------------------------------
# Phones and e-mails
# ---------------------------------------------------------------------------

def render_mobile(m: np.ndarray, fmt: np.ndarray) -> np.ndarray:
    """Write 11-digit mobiles in one of MOBILE_FORMATS (invalid lengths pass through)."""
    def parts(i):
        return np.strings.slice(m[i], 0, 3), np.strings.slice(m[i], 3, 7), np.strings.slice(m[i], 7, None)

    def joined(sep, prefix=""):
        def build(i):
            a, b, c = parts(i)
            return cat(prefix, a, sep, b, sep, c)
        return build

    return switch(
        fmt,
        lambda i: m[i], joined("-"), joined(" "), joined(" ", "+86 "),
        lambda i: cat("+86", m[i]), lambda i: cat("86", m[i]),
        lambda i: cat(" ", m[i], " "), lambda i: cat("+86-", m[i]),
    )


def render_landline(area: np.ndarray, local: np.ndarray, fmt: np.ndarray) -> np.ndarray:
    """Write landlines in one of LANDLINE_FORMATS."""
    half = (np.strings.str_len(local) + 1) // 2
    a, b = np.strings.slice(local, 0, half), np.strings.slice(local, half, None)
    return switch(
        fmt,
        lambda i: cat(area[i], "-", local[i]),
        lambda i: cat("(", area[i], ")", local[i]),
        lambda i: cat(area[i], local[i]),
        lambda i: cat(area[i], " ", a[i], " ", b[i]),
        lambda i: cat("+86 ", np.strings.slice(area[i], 1, None), " ", a[i], " ", b[i]),
    )


def make_mobiles(rng: np.random.Generator, n: int, T: Tables) -> np.ndarray:
    """n random 11-digit mobile numbers with real operator prefixes."""
    return cat(T.mobile_prefix[pick(rng, n, T.mobile_prefix_p)], digits(rng, n, 8))


def year_suffix(rng: np.random.Generator, n: int) -> np.ndarray:
    """'' / '88' / '1988' / '123': what people append to a mailbox name."""
    year = rng.integers(1960, 2006, n)
    other = rng.integers(1, 1000, n)
    return switch(
        pick(rng, n, [0.5, 0.25, 0.15, 0.10]),
        "",
        lambda i: zfill(istr(year[i] % 100), 2),
        lambda i: istr(year[i]),
        lambda i: istr(other[i]),
    )


def make_emails(rng: np.random.Generator, T: Tables, p: dict, company: dict,
                comp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One e-mail per entity ('' when none; ~70% have one), unique per person
    except company mailboxes (info@, sales@ ...) shared by colleagues.

    Returns (email, is_shared_mailbox)."""
    n = len(p["sur"])
    sur_py = T.surname_py[p["sur"]]
    given_py = given_pinyin(T, p["g1"], p["g2"])
    first = np.where(p["script"] == 3, np.strings.lower(p["en_first"]),
                     np.where(p["script"] == 1, np.strings.lower(p["en_first"]), given_py))
    last = np.where(p["script"] == 3, np.strings.lower(p["en_last"]), sur_py)
    initial = np.strings.slice(first, 0, 1)
    style = pick(rng, n, [0.32, 0.12, 0.28, 0.14, 0.08, 0.06])
    qq = istr(rng.integers(10_000, 3_000_000_000, n))
    initials = cat(np.strings.slice(last, 0, 1), initial, np.strings.slice(
        np.where(p["g2"] >= 0, T.char_py[np.maximum(p["g2"], 0)], ""), 0, 1))
    random_name = cat(letters(rng, n, 3, 8), digits(rng, n, 3))
    initials_year = cat(initials, year_suffix(rng, n))
    local = switch(
        style,
        lambda i: cat(last[i], first[i]),          # zhangwei
        lambda i: cat(first[i], ".", last[i]),     # wei.zhang
        lambda i: qq[i],                           # 1363578162 (@qq.com)
        lambda i: random_name[i],                  # ksnge984
        lambda i: initials_year[i],                # zw88
        lambda i: cat(initial[i], last[i]),        # wzhang
    )
    local = np.where((style == 2) | (style == 3), local, cat(local, year_suffix(rng, n)))
    local = np.where(p["script"] == 3, np.where(style == 2, cat(first, ".", last), local), local)
    domain = T.free_domain[pick(rng, n, T.free_domain_p)]
    domain = np.where(style == 2, "qq.com", domain)
    works = (comp >= 0) & flip(rng, n, 0.3) & (style != 2)
    domain = np.where(works, company["domain"][np.maximum(comp, 0)], domain)
    email = cat(local, "@", domain)

    has = flip(rng, n, 0.70)
    shared = (comp >= 0) & company["has_mailbox"][np.maximum(comp, 0)] & flip(rng, n, 0.3)
    personal = np.flatnonzero(has & ~shared)
    for attempt in range(20):  # two people never share a personal address
        i = personal[duplicated(email[personal])]
        if not len(i):
            break
        email = patch(email, i, lambda i: cat(local[i], digits(rng, len(i), 3 + attempt), "@", domain[i]))
    c = np.maximum(comp, 0)
    email = np.where(shared, cat(company["mailbox"][c], "@", company["domain"][c]), email)
    has |= shared
    return np.where(has, email, ""), shared


def email_typo(rng: np.random.Generator, e: np.ndarray) -> np.ndarray:
    """A plausible typo: .com -> .con, a lost @, 'gmial', a comma for a dot."""
    kind = rng.integers(0, 4, len(e))
    return np.select(
        [kind == 0, kind == 1, kind == 2],
        [np.strings.replace(e, ".com", ".con"), np.strings.replace(e, "@", ""),
         np.strings.replace(np.strings.replace(e, "gmail", "gmial"), "qq.com", "qq.cm")],
        np.strings.replace(e, ".", ",", 1),
    )


# ---------------------------------------------------------------------------
# Building the sheet
# ---------------------------------------------------------------------------

@dataclass
class Sheet:
    """The generated data: xlsx-ready columns plus the ground truth."""

    columns: dict           # header -> object array (str / float / datetime.date / None)
    entity_id: np.ndarray   # per row, 1-based, numbered by first appearance
    stats: dict


def generate(n_rows: int, seed: int = 7) -> Sheet:
    """Generate n_rows customer rows; deterministic for a given (n_rows, seed)."""
    T = load_tables()
    rng = np.random.default_rng(seed)

    # --- entities -----------------------------------------------------------
    ent_of_row, occ = plan_rows(rng, n_rows)
    n_ent = int(ent_of_row.max()) + 1
    p = make_people(rng, n_ent, T)

    comp = np.full(n_ent, -1, dtype=np.int64)
    with_company = flip(rng, n_ent, 0.80)
    company, members = make_companies(rng, int(with_company.sum()), T)
    comp[with_company] = members

    household, leader = make_households(rng, n_ent)
    in_hh = household >= 0
    same_surname = in_hh & flip(rng, n_ent, 0.7)
    p["sur"][same_surname] = p["sur"][leader[same_surname]]
    p["name"] = render_names(T, p)

    home = make_addresses(rng, n_ent, T)
    put(home, in_hh, take(home, leader[in_hh]))
    address = {k: v.copy() for k, v in home.items()}
    at_office = (comp >= 0) & ~in_hh & flip(rng, n_ent, 0.5)
    put(address, at_office, take(company["address"], comp[at_office]))
    has_address = in_hh | flip(rng, n_ent, 0.78)

    # phone: 0 mobile, 1 landline (household or company switchboard), 2 none
    mobile = make_mobiles(rng, n_ent, T)
    hh_landline = cat(T.city_area[home["city"]], istr(rng.integers(2, 9, n_ent)), digits(rng, n_ent, 7))
    hh_landline[in_hh] = hh_landline[leader[in_hh]]
    phone_kind = np.where(flip(rng, n_ent, 0.03), 2, 0)
    office_line = (comp >= 0) & flip(rng, n_ent, 0.06)  # the company switchboard
    phone_kind[office_line] = 1
    phone_kind[in_hh & flip(rng, n_ent, 0.65)] = 1
    landline = np.where(in_hh, hh_landline, company["landline"][np.maximum(comp, 0)])
    phone_fmt = pick_format(rng, n_ent, MOBILE_FORMATS)
    line_fmt = pick_format(rng, n_ent, LANDLINE_FORMATS)

    email, shared_mailbox = make_emails(rng, T, p, company, comp)
    family_mail = in_hh & (leader != np.arange(n_ent)) & flip(rng, n_ent, 0.15)  # a spouse's address
    family_mail &= email[np.maximum(leader, 0)] != ""
    email = patch(email, family_mail, lambda i: email[leader[i]])
    shared_mailbox = shared_mailbox | family_mail
    title = pick(rng, n_ent, T.title_p)
    city_suffix = flip(rng, n_ent, 0.3)
    has_city = flip(rng, n_ent, 0.9)
    n_owners = int(rng.integers(10, 31))
    owners = make_owner_names(rng, n_owners, T)
    owner_p = rng.dirichlet(np.full(n_owners, 2.0))
    owner = pick(rng, n_ent, owner_p)
    created = np.minimum((N_DAYS * np.sqrt(rng.random(n_ent))).astype(np.int64), N_DAYS - 1)

    # --- rows -----------------------------------------------------------------
    n = n_rows
    e = ent_of_row
    first = occ == 0
    reentry = ~first & flip(rng, n, REENTRY_SHARE)
    order = ~first & ~reentry

    # name: a re-entered record may spell its person's name another way
    name = p["name"][e]
    chinese = p["script"][e] == 0
    # 0 as before, 1 homophone typo, 2 pinyin in either order, 3 Traditional characters,
    # 4 English name + pinyin surname ("Kevin Zhang"), 5 Chinese name + English name
    variant = np.where(reentry & chinese, pick(rng, n, [0.80, 0.05, 0.06, 0.05, 0.02, 0.02]), 0)
    typo = variant == 1
    name = patch(name, typo, lambda i: name_typo(T, p, e[i]))
    romanised = variant == 2
    name = patch(name, romanised, lambda i: pinyin_name(T, p, e[i], order=flip(rng, len(i), 0.5)))
    name = patch(name, variant == 3, lambda i: traditional(name[i]))
    english = p["en_first"][e]
    name = patch(name, variant == 4, lambda i: cat(english[i], " ", T.surname_cap[p["sur"][e[i]]]))
    name = patch(name, variant == 5, lambda i: cat(name[i], " ", english[i]))
    spaced = chinese & (variant == 0) & flip(rng, n, np.where(reentry, 0.04, 0.01))
    trailing = flip(rng, n, 0.5)  # "张伟 " rather than "张 伟"
    name = patch(name, spaced, lambda i: np.where(
        trailing[i], cat(name[i], " "),
        cat(T.surname[p["sur"][e[i]]], " ", given_name(T, p["g1"][e[i]], p["g2"][e[i]]))))
    latin = reentry & ~chinese
    recased = latin & flip(rng, n, 0.05)
    name = patch(name, recased, lambda i: np.strings.lower(name[i]))
    swapped = latin & (p["script"][e] == 2) & flip(rng, n, 0.3)  # "Zhang Wei" for "Wei Zhang"
    name = patch(name, swapped, lambda i: pinyin_name(T, p, e[i], order=~p["pinyin_order"][e[i]]))
    nick = latin & (p["script"][e] != 2) & flip(rng, n, 0.15)
    name = patch(name, nick, lambda i: nickname(name[i]))
    name_present = ~(reentry & flip(rng, n, 0.01))

    # phone
    kind = phone_kind[e].copy()
    mobile_row = mobile[e]
    new_number = reentry & flip(rng, n, 0.06)  # the person changed phone since
    mobile_row = patch(mobile_row, new_number, lambda i: make_mobiles(rng, len(i), T))
    kind[new_number] = 0
    kind[(reentry & flip(rng, n, 0.12)) | (order & flip(rng, n, 0.02))] = 2
    redraw = reentry | (order & flip(rng, n, 0.2))
    fmt = phone_fmt[e].copy()
    fmt[redraw] = pick_format(rng, int(redraw.sum()), MOBILE_FORMATS)
    lfmt = line_fmt[e].copy()
    lfmt[redraw] = pick_format(rng, int(redraw.sum()), LANDLINE_FORMATS)
    bad = flip(rng, n, 0.015)  # one digit lost or doubled
    drop = flip(rng, n, 0.5)

    def mobiles(i):
        m = mobile_row[i]
        return switch(bad[i] * (1 + drop[i]), lambda j: m[j], lambda j: cat(m[j], np.strings.slice(m[j], 10, 11)),
                      lambda j: np.strings.slice(m[j], 0, 10))

    def landlines(i):
        line = landline[e[i]]
        cut = np.strings.str_len(line) - 8
        area, local = np.strings.slice(line, 0, cut), np.strings.slice(line, cut, None)
        local = np.where(bad[i], np.strings.slice(local, 0, 7), local)
        return render_landline(area, local, lfmt[i])

    phone = switch(kind, lambda i: render_mobile(mobiles(i), fmt[i]), landlines, "")
    phone_present = kind != 2

    # e-mail
    mail = email[e]
    present = mail != ""
    present &= ~(order & flip(rng, n, 0.05)) & ~(reentry & flip(rng, n, 0.25))
    shout = reentry & present & flip(rng, n, 0.15)
    whole = flip(rng, n, 0.7)
    mail = patch(mail, shout & whole, lambda i: np.strings.upper(mail[i]))
    mail = patch(mail, shout & ~whole, lambda i: np.strings.capitalize(mail[i]))
    other = reentry & present & ~shared_mailbox[e] & flip(rng, n, 0.05)  # a second address
    other_domain = T.free_domain[pick(rng, n, T.free_domain_p)]
    mail = patch(mail, other, lambda i: cat(np.strings.partition(mail[i], "@")[0], "@", other_domain[i]))
    typo_mail = present & flip(rng, n, 0.015)
    mail = patch(mail, typo_mail, lambda i: email_typo(rng, mail[i]))

    # company, title, gender; a re-entered record may show a new employer
    c = comp[e].copy()
    new_job = reentry & (c >= 0) & flip(rng, n, 0.05)
    c[new_job] = comp[with_company][rng.integers(0, int(with_company.sum()), int(new_job.sum()))]
    work_mail = new_job & (np.strings.partition(np.strings.lower(mail), "@")[2] == company["domain"][comp[e].clip(0)])
    mail = patch(mail, work_mail, lambda i: cat(np.strings.partition(mail[i], "@")[0], "@", company["domain"][c[i]]))
    company_name = np.where(reentry & flip(rng, n, 0.15), company["short"][np.maximum(c, 0)],
                            company["name"][np.maximum(c, 0)])
    company_present = (c >= 0) & ~(reentry & flip(rng, n, 0.10))
    t = title[e].copy()
    again = reentry & flip(rng, n, 0.3)
    t[again] = pick(rng, int(again.sum()), T.title_p)
    title_text = T.title[t]
    gender = np.array(["男", "女"])[p["gender"][e]]
    gender_present = ~flip(rng, n, np.where(reentry, 0.15, 0.06))

    # address and city
    row_addr = take(address, e)
    put(row_addr, new_job & at_office[e], take(company["address"], c[new_job & at_office[e]]))
    moved = reentry & flip(rng, n, 0.15)
    moved_city = np.where(flip(rng, int(moved.sum()), 0.7), row_addr["city"][moved],
                          pick(rng, int(moved.sum()), T.city_p))
    put(row_addr, moved, make_addresses(rng, int(moved.sum()), T, moved_city))
    style = np.where(reentry, pick(rng, n, [0.85, 0.10, 0.05]), 0)
    addr_text = render_address(T, row_addr, style)
    addr_present = has_address[e] & ~(reentry & flip(rng, n, 0.10))
    suffix_city = np.where(reentry, flip(rng, n, 0.3), city_suffix[e])
    city_text = cat(T.city[row_addr["city"]], np.where(suffix_city, "市", ""))
    city_present = has_city[e] & ~(reentry & flip(rng, n, 0.1))

    # owner
    o = owner[e].copy()
    reassigned = reentry & flip(rng, n, 0.35)
    o[reassigned] = pick(rng, int(reassigned.sum()), owner_p)
    owner_text = owners[o]

    # dates (days since 2020-01-01)
    created_row = created[e].copy()
    later = N_DAYS - 1 - created_row
    created_row[reentry] += (rng.random(int(reentry.sum())) * (later[reentry] + 1)).astype(np.int64)
    order_day = np.where(order, created[e] + (rng.random(n) * (later + 1)).astype(np.int64),
                         np.minimum(created_row + rng.geometric(0.08, n) - 1, N_DAYS - 1))
    contact_day = np.minimum(order_day + rng.geometric(0.02, n) - 1, N_DAYS - 1)
    order_present = ~flip(rng, n, 0.04)
    contact_state = pick(rng, n, [0.70, 0.25, 0.05])  # date cell / text / empty
    entry_day = np.where(order, order_day, created_row)

    # amount
    amount = np.clip(np.exp(rng.normal(np.log(2000), 1.3, n)), 50, 200_000)
    rounding = pick(rng, n, [0.55, 0.25, 0.20])
    amount = np.select([rounding == 0, rounding == 1], [np.round(amount), np.round(amount, 2)],
                       np.maximum(np.round(amount, -2), 100))
    amount_state = pick(rng, n, [0.88, 0.08, 0.04])  # number / text / empty

    # notes
    note_present = flip(rng, n, 0.07)
    note = T.note[pick(rng, n, T.note_p)]

    # --- sheet order: by the date the row was entered ---------------------------
    rows = np.lexsort((rng.random(n), entry_day))
    ent_sorted = e[rows]
    _, first_pos = np.unique(ent_sorted, return_index=True)
    new_id = np.empty(n_ent, dtype=np.int64)
    new_id[np.argsort(first_pos, kind="stable")] = np.arange(1, n_ent + 1)

    def text(values, present):
        out = values[rows].astype(object)
        out[~present[rows]] = None
        return out

    columns = {
        "客户姓名": text(name, name_present),
        "手机": text(phone, phone_present),
        "邮箱": text(mail, present),
        "公司名称": text(company_name, company_present),
        "职位": text(title_text, title_text != ""),
        "性别": text(gender, gender_present),
        "地址": text(addr_text, addr_present),
        "城市": text(city_text, city_present),
        "负责人": text(owner_text, np.ones(n, dtype=bool)),
        "交易日期": date_column(order_day[rows], order_present[rows]),
        "交易金额": amount_column(rng, amount[rows], amount_state[rows]),
        "最近联系时间": date_column(contact_day[rows], contact_state[rows] != 2,
                              text_mask=contact_state[rows] == 1, rng=rng),
        "建档日期": date_column(created_row[rows], np.ones(n, dtype=bool)),
        "备注": text(note, note_present),
    }
    assert list(columns) == HEADERS
    stats = dict(
        rows=n, entities=n_ent, occurrences=np.bincount(np.bincount(e)),
        reentry_rows=int(reentry.sum()), order_rows=int(order.sum()),
        households=int(household.max()) + 1 if in_hh.any() else 0,
        household_members=int(in_hh.sum()),
        rows_landline=int((kind == 1).sum()),
        companies=int((company["size"] > 0).sum()), shared_mailbox_people=int(shared_mailbox.sum()),
        names=pd.Series(p["name"][p["script"] == 0]).value_counts(),
        owners=n_owners, name_typos=int(typo.sum()),
    )
    return Sheet(columns=columns, entity_id=new_id[ent_sorted], stats=stats)


def make_owner_names(rng: np.random.Generator, k: int, T: Tables) -> np.ndarray:
    """k distinct Chinese names for the salespeople."""
    people = make_people(rng, 4 * k + 20, T)
    people["script"][:] = 0
    names = pd.unique(render_names(T, people))
    return np.asarray(names[:k], dtype=str)


def date_column(days: np.ndarray, present: np.ndarray, text_mask: np.ndarray | None = None,
                rng: np.random.Generator | None = None) -> np.ndarray:
    """datetime.date cells, None where missing, and typed text ('2024/3/5') under text_mask."""
    out = (FIRST_DAY + days).astype("datetime64[D]").astype(object)
    if text_mask is not None:
        idx = np.flatnonzero(text_mask & present)
        y, m, d = date_parts(days[idx])
        kind = pick_format(rng, len(idx), DATE_TEXT_FORMATS)
        iso = (FIRST_DAY + days[idx]).astype("datetime64[D]").astype(str)
        out[idx] = np.select([kind == 0, kind == 1, kind == 2],
                             [cat(y, "/", m, "/", d), iso, cat(y, "年", m, "月", d, "日")],
                             cat(y, ".", m, ".", d)).astype(object)
    out[~present] = None
    return out


def amount_column(rng: np.random.Generator, amount: np.ndarray, state: np.ndarray) -> np.ndarray:
    """Numbers, None (state 2) and text like '¥1,280.00' (state 1)."""
    out = amount.astype(object)
    idx = np.flatnonzero(state == 1)
    if not len(idx):
        out[state == 2] = None
        return out
    whole, cents = split_cents(amount[idx])
    grouped = thousands(whole)
    plain = istr(whole)
    kind = pick_format(rng, len(idx), AMOUNT_TEXT_FORMATS)
    out[idx] = np.select(
        [kind == 0, kind == 1, kind == 2, kind == 3],
        [cat("¥", grouped, ".", cents), cat(plain, "元"), cat(grouped, ".", cents), cat("￥", plain)],
        cat("RMB ", grouped),
    ).astype(object)
    out[state == 2] = None
    return out


# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------

def frame(columns: dict) -> pd.DataFrame:
    """The columns as a DataFrame of object columns (pandas 3 would infer 'str')."""
    return pd.DataFrame({h: pd.Series(v, dtype=object, copy=False) for h, v in columns.items()})


def write_xlsx_rustpy(columns: dict, path: Path) -> None:
    """Fast path: rustpy_xlsxwriter (Rust, constant memory, inline strings)."""
    from rustpy_xlsxwriter import FastExcel

    (FastExcel(str(path))
     .format(datetime_format="yyyy-mm-dd")
     .sheet(SHEET_NAME, frame(columns), column_widths=COLUMN_WIDTHS)
     .save())


def write_xlsx_xlsxwriter(columns: dict, path: Path) -> None:
    """Pure-Python fallback: xlsxwriter in constant-memory mode (~10x slower)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {
        "constant_memory": True, "strings_to_numbers": False,
        "strings_to_formulas": False, "strings_to_urls": False,
    })
    wb.set_properties({"created": FIXED_CREATED})
    ws = wb.add_worksheet(SHEET_NAME)
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for j, (header, width) in enumerate(zip(columns, COLUMN_WIDTHS)):
        ws.set_column(j, j, width)
        ws.write_string(0, j, header)
    cols = list(columns.values())
    write_string, write_number, write_datetime = ws.write_string, ws.write_number, ws.write_datetime
    for i in range(len(cols[0])):
        r = i + 1
        for j, col in enumerate(cols):
            v = col[i]
            if v is None:
                continue
            t = type(v)
            if t is str:
                write_string(r, j, v)
            elif t is float:
                write_number(r, j, v)
            else:
                write_datetime(r, j, v, date_fmt)
    wb.close()


def next_week(columns: dict, seed: int, share: float) -> dict:
    """The same sheet a week later: ``share`` of its rows edited (a phone's last digit, a
    name's last character or a later last contact, a third each) and as many new rows added
    at the end from another seed; when that would pass Excel's limit, as many old rows are
    deleted first, at random. What an incremental weekly run must handle (issue 20)."""
    rng = np.random.default_rng(seed + 1_000_003)
    n = len(next(iter(columns.values())))
    n_new = max(1, round(n * share))
    out = {header: col.copy() for header, col in columns.items()}
    edited = rng.choice(n, size=n_new, replace=False)
    kind = rng.integers(0, 3, size=n_new)
    for which, header in enumerate(("手机", "客户姓名")):
        col = out[header]
        for i in edited[kind == which]:
            v = col[i]
            if isinstance(v, str) and v:
                last = v[-1]
                col[i] = v[:-1] + (str((int(last) + 1) % 10) if last.isdigit() else ("华" if last != "华" else "明"))
    contact = out["最近联系时间"]
    for i in edited[kind == 2]:
        contact[i] = dt.date(2025, 1, 1)
    if n + n_new > MAX_DATA_ROWS:
        keep = np.sort(rng.choice(n, size=n - n_new, replace=False))
        out = {header: col[keep] for header, col in out.items()}
    added = generate(n_new, seed + 1).columns
    return {header: np.concatenate([col, added[header]]) for header, col in out.items()}


def csv_columns(columns: dict) -> dict:
    """The columns with every cell as text (or None): dates as YYYY-MM-DD,
    integral amounts without a trailing '.0', others with two decimals."""
    out = dict(columns)
    for header in DATE_COLUMNS + AMOUNT_COLUMNS:
        col = columns[header].copy()
        kind = dt.date if header in DATE_COLUMNS else float
        sel = np.fromiter((type(v) is kind for v in col), dtype=bool, count=len(col))
        values = col[sel]
        if not len(values):
            continue
        if kind is dt.date:
            ordinal = np.fromiter((v.toordinal() for v in values), dtype=np.int64, count=len(values))
            text = (np.datetime64("0001-01-01") + (ordinal - 1)).astype(str)
        else:
            whole, cents = split_cents(values.astype(float))
            text = np.where(cents == "00", istr(whole), cat(istr(whole), ".", cents))
        col[sel] = text.astype(object)
        out[header] = col
    return out


def write_csv_rustpy(columns: dict, path: Path) -> None:
    """UTF-8 CSV (no BOM) via rustpy_xlsxwriter's CSV writer (~4x faster than pandas)."""
    from rustpy_xlsxwriter import FastExcel

    FastExcel(str(path), output_format="csv").sheet(SHEET_NAME, frame(csv_columns(columns))).save()


def write_csv_pandas(columns: dict, path: Path) -> None:
    """UTF-8 CSV (no BOM) via pandas."""
    frame(csv_columns(columns)).to_csv(path, index=False, encoding="utf-8")


def write_truth(entity_id: np.ndarray, path: Path) -> None:
    """source_row (Excel row number, header = 1), entity_id."""
    rows = np.arange(2, len(entity_id) + 2)
    pd.DataFrame({"source_row": rows, "entity_id": entity_id}).to_csv(path, index=False)


WRITERS = {
    "xlsx": {"rustpy": write_xlsx_rustpy, "xlsxwriter": write_xlsx_xlsxwriter},
    "csv": {"rustpy": write_csv_rustpy, "pandas": write_csv_pandas},
}


def pick_writer(name: str, fmt: str):
    """(name, function) of the writer for fmt ('xlsx' or 'csv'); 'auto' prefers rustpy."""
    if name == "auto":
        try:
            import rustpy_xlsxwriter  # noqa: F401
            name = "rustpy"
        except ImportError:
            name = "xlsxwriter" if fmt == "xlsx" else "pandas"
    if name not in WRITERS[fmt]:
        raise SystemExit(f"--writer {name} cannot write {fmt}; use one of {', '.join(WRITERS[fmt])}")
    return name, WRITERS[fmt][name]


# ---------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------

def describe(stats: dict) -> str:
    """A few lines on the duplicate structure of the generated data."""
    occ = stats["occurrences"]
    dup_rows = stats["rows"] - stats["entities"]
    names = stats["names"]
    top = ", ".join(f"{k} {v}" for k, v in names.head(8).items())
    lines = [
        f"rows {stats['rows']:,}  entities {stats['entities']:,}  "
        f"duplicate rows {dup_rows:,} ({dup_rows / stats['rows']:.1%}: "
        f"{stats['order_rows']:,} repeated orders, {stats['reentry_rows']:,} re-entered records, "
        f"{stats['name_typos']:,} with a name typo)",
        "entities by number of rows: " + ", ".join(f"{k}x {v:,}" for k, v in enumerate(occ) if k and v),
        f"households {stats['households']:,} ({stats['household_members']:,} people), "
        f"rows with a landline {stats['rows_landline']:,}",
        f"companies {stats['companies']:,}, people on a shared mailbox {stats['shared_mailbox_people']:,}, "
        f"owners {stats['owners']}",
        f"Chinese names: {len(names):,} distinct for {names.sum():,} people; "
        f"{int(names[names > 1].sum()):,} people share their name with another; most common: {top}",
    ]
    return "\n".join(lines)


def parse_args(argv=None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, required=True,
                    help=f"number of data rows (xlsx: at most {MAX_DATA_ROWS:,})")
    ap.add_argument("--out", type=Path, required=True, help="output .xlsx (or .csv with --csv)")
    ap.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    ap.add_argument("--csv", action="store_true", help="write a UTF-8 CSV instead of xlsx")
    ap.add_argument("--truth", type=Path, help="also write source_row,entity_id to this CSV")
    ap.add_argument("--writer", choices=["auto", "rustpy", "xlsxwriter", "pandas"], default="auto",
                    help="auto (default): rustpy_xlsxwriter if installed, else xlsxwriter "
                         "for xlsx / pandas for CSV")
    ap.add_argument("--quiet", action="store_true", help="do not print the summary")
    ap.add_argument("--next-week", type=float, default=0, metavar="SHARE",
                    help="the sheet a week later: this share of rows edited and as many added "
                         "(0.01 for issue 20's weekly run); no --truth")
    args = ap.parse_args(argv)
    if args.next_week and args.truth:
        ap.error("--next-week writes no ground truth")
    if not 0 <= args.next_week <= 0.5:
        ap.error("--next-week is a share of the rows, from 0 to 0.5 (0.01: 1 %)")
    if args.rows < 1:
        ap.error("--rows must be at least 1")
    if not args.csv and args.rows > MAX_DATA_ROWS:
        ap.error(f"--rows {args.rows:,} does not fit a sheet: at most {MAX_DATA_ROWS:,} data rows")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    t0 = time.perf_counter()
    sheet = generate(args.rows, args.seed)
    if args.next_week:
        sheet.columns = next_week(sheet.columns, args.seed, args.next_week)
    t1 = time.perf_counter()
    writer, write = pick_writer(args.writer, "csv" if args.csv else "xlsx")
    write(sheet.columns, args.out)
    t2 = time.perf_counter()
    if args.truth:
        write_truth(sheet.entity_id, args.truth)
    t3 = time.perf_counter()
    if not args.quiet:
        print(describe(sheet.stats))
    size = args.out.stat().st_size
    print(f"{args.out}: {len(next(iter(sheet.columns.values()))):,} rows, {size / 1e6:.1f} MB; generate {t1 - t0:.1f}s, "
          f"write ({writer}) {t2 - t1:.1f}s, truth {t3 - t2:.1f}s, total {t3 - t0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
