#!/usr/bin/env python3
"""Blind test-data generator for customer de-duplication.

Writes a folder of customer files as a small business's shared drive holds them
(salespeople's sheets, CRM exports, an order log, a mailing list ...), half
Chinese and half English-speaking (UK/US/AU) customers, plus a truth file
``DIR/../<DIRNAME>.truth.csv`` with one line per customer data row:

    file,sheet,row,entity_id,kinds

Usage:  python benchmarks/blind/generate_blind.py --rows N --seed S --out DIR

Written from a description of real customer lists only (not from the tool).
See README.md beside this file.
"""
import argparse
import csv
import datetime as dt
import math
import os
import random
import sys
import time
from collections import Counter

import numpy as np

# =============================================================================
# Reference data
# =============================================================================

# --- Chinese surnames: char:pinyin:weight (per cent of population, roughly) ---
ZH_SURNAMES_SRC = """
王:wang:7.1 李:li:7.0 张:zhang:6.7 刘:liu:5.4 陈:chen:4.5 杨:yang:3.1 黄:huang:2.2 赵:zhao:2.0
吴:wu:2.0 周:zhou:1.9 徐:xu:1.3 孙:sun:1.2 马:ma:1.2 朱:zhu:1.1 胡:hu:1.0 郭:guo:1.0 何:he:0.9
林:lin:0.9 高:gao:0.9 罗:luo:0.9 郑:zheng:0.8 梁:liang:0.7 谢:xie:0.6 宋:song:0.5 唐:tang:0.5
许:xu:0.5 韩:han:0.5 冯:feng:0.5 邓:deng:0.5 曹:cao:0.5 彭:peng:0.4 曾:zeng:0.4 肖:xiao:0.4
田:tian:0.4 董:dong:0.4 袁:yuan:0.4 潘:pan:0.3 于:yu:0.3 蒋:jiang:0.3 蔡:cai:0.3 余:yu:0.3
杜:du:0.3 叶:ye:0.3 程:cheng:0.3 苏:su:0.3 魏:wei:0.3 吕:lyu:0.3 丁:ding:0.3 任:ren:0.3
沈:shen:0.3 姚:yao:0.3 卢:lu:0.3 姜:jiang:0.3 崔:cui:0.2 钟:zhong:0.2 谭:tan:0.2 陆:lu:0.2
汪:wang:0.2 范:fan:0.2 金:jin:0.2 石:shi:0.2 廖:liao:0.2 贾:jia:0.2 夏:xia:0.2 韦:wei:0.2
付:fu:0.2 方:fang:0.2 白:bai:0.2 邹:zou:0.2 孟:meng:0.2 熊:xiong:0.2 秦:qin:0.2 邱:qiu:0.2
江:jiang:0.2 尹:yin:0.2 薛:xue:0.2 闫:yan:0.2 段:duan:0.2 雷:lei:0.2 侯:hou:0.2 龙:long:0.2
史:shi:0.2 陶:tao:0.1 黎:li:0.1 贺:he:0.1 顾:gu:0.1 毛:mao:0.1 郝:hao:0.1 龚:gong:0.1
邵:shao:0.1 万:wan:0.1 钱:qian:0.1 严:yan:0.1 覃:qin:0.1 武:wu:0.1 戴:dai:0.1 莫:mo:0.1
孔:kong:0.1 向:xiang:0.1 汤:tang:0.1 骆:luo:0.05 欧阳:ouyang:0.08 司马:sima:0.02
上官:shangguan:0.02 诸葛:zhuge:0.02 东方:dongfang:0.02 皇甫:huangfu:0.01 令狐:linghu:0.01
"""
# Cantonese/older romanisations people actually use on English forms.
ZH_SUR_ALT = {"陈": "Chan", "黄": "Wong", "李": "Lee", "张": "Cheung", "刘": "Lau", "吴": "Ng",
              "周": "Chow", "梁": "Leung", "何": "Ho", "林": "Lam", "郑": "Cheng", "胡": "Woo",
              "王": "Wong", "杨": "Yeung", "邓": "Tang", "谢": "Tse", "郭": "Kwok"}
# A wrong surname typed by hand / picked from the IME: same sound or similar look.
ZH_SUR_TYPO_SRC = """
张:章 李:黎理 王:汪玉 刘:柳留 陈:程沉 杨:阳扬 黄:皇 赵:照 吴:伍武 周:邹舟 徐:许 孙:荪 马:码
朱:祝诸 胡:湖 郭:国 何:河贺 林:琳 高:郜 罗:骆 郑:正 梁:良 谢:解 宋:送 唐:汤 许:徐 韩:寒
冯:风 邓:登 曹:曾 彭:鹏 曾:增 肖:萧 田:甜由 董:东 袁:元 潘:盘 于:余 蒋:姜 蔡:菜 余:于
杜:度 叶:业 程:陈 苏:素 魏:卫 吕:侣 丁:订 任:仁 沈:申 姚:尧 卢:鲁 姜:江 崔:翠 钟:仲
谭:谈 陆:路 汪:王 范:樊 金:靳 石:施 廖:寥 贾:甲 夏:霞 韦:魏 付:傅 方:芳 白:柏 邹:周
孟:梦 熊:雄 秦:琴 邱:丘 江:姜 尹:殷 薛:雪 闫:阎 段:端 雷:磊 侯:候 龙:隆 史:石 陶:涛
黎:李 贺:何 顾:古 毛:茅 郝:好 龚:宫 邵:绍 万:完 钱:前 严:颜 覃:谭 武:吴 戴:代 莫:墨
孔:空 向:项 汤:唐 骆:冬洛 欧阳:欧杨 司马:斯马 上官:尚官 诸葛:朱葛 东方:冬方 皇甫:黄甫 令狐:今狐
"""
# Given-name characters (char+pinyin), by gender, and homophones that only show up as typos.
ZH_GIVEN_M = ("伟wei 磊lei 勇yong 军jun 杰jie 涛tao 强qiang 斌bin 超chao 明ming 刚gang 平ping 辉hui "
              "鹏peng 华hua 飞fei 鑫xin 波bo 宇yu 浩hao 建jian 国guo 志zhi 海hai 俊jun 文wen 博bo "
              "晓xiao 德de 永yong 家jia 豪hao 子zi 轩xuan 然ran 峰feng 东dong 龙long 成cheng 亮liang "
              "振zhen 旭xu 天tian 泽ze 凯kai 瑞rui 晨chen 林lin 春chun 金jin 荣rong 忠zhong 兵bing "
              "帅shuai 毅yi 健jian 铭ming 昊hao 睿rui 嘉jia 航hang 良liang 山shan 江jiang 学xue "
              "庆qing 宏hong 立li 新xin 正zheng 光guang 一yi 中zhong 云yun 翔xiang 祥xiang")
ZH_GIVEN_F = ("芳fang 娜na 敏min 静jing 丽li 艳yan 娟juan 霞xia 燕yan 玲ling 婷ting 颖ying 秀xiu "
              "英ying 兰lan 桂gui 玉yu 珍zhen 淑shu 雪xue 梅mei 红hong 欣xin 怡yi 涵han 雨yu 诗shi "
              "思si 佳jia 美mei 慧hui 凤feng 琳lin 莉li 倩qian 萍ping 琴qin 丹dan 晶jing 洁jie 悦yue "
              "彤tong 雅ya 梦meng 琪qi 璐lu 瑶yao 薇wei 菲fei 蕾lei 月yue 春chun 晓xiao 小xiao 宁ning "
              "露lu 青qing 妍yan 楠nan 欢huan 萱xuan 华hua 云yun")
ZH_HOMO_ONLY = ("玮wei 维wei 炜wei 卫wei 威wei 那na 纳na 方fang 放fang 京jing 精jing 力li 利li "
                "民min 闽min 墙qiang 雷lei 君jun 均jun 阳yang 扬yang 涌yong 雁yan 岩yan 捷jie 婕jie "
                "涓juan 鹃juan 滔tao 韬tao 鸣ming 潮chao 朝chao 修xiu 莹ying 影ying 岚lan 蓝lan 夏xia "
                "苹ping 钢gang 纲gang 贵gui 桦hua 骅hua 鸿hong 洪hong 羽yu 语yu 真zhen 贞zhen 剑jian "
                "果guo 雯wen 闻wen 彬bin 滨bin 惠hui 晖hui 朋peng 皓hao 庭ting 亭ting 馨xin 骏jun "
                "峻jun 恺kai 楷kai 锐rui 玫mei 媚mei 霖lin 辰chen 臣chen 琛chen 宜yi 仪yi 依yi 紫zi "
                "梓zi 晗han 寒han 宣xuan 柏bo 丝si 斯si 茜qian 书shu 舒shu 纯chun 锋feng 丰feng "
                "风feng 冬dong 智zhi 芝zhi 诚cheng 城cheng 非fei 筱xiao 芸yun 韵yun 单dan 凝ning "
                "勤qin 芹qin 桐tong 童tong 越yue 跃yue 亚ya 师shi 施shi 蒙meng 琦qi 奇qi 淇qi 锦jin "
                "晋jin 蓉rong 容rong 仲zhong 冰bing 隆long 震zhen 序xu 添tian 择ze 遥yao 路lu 陆lu "
                "南nan 环huan 清qing 晴qing 研yan 冉ran 艺yi 杭hang 珊shan 疆jiang 广guang 政zheng "
                "临lin 靓liang 伊yi 益yi 逸yi 祥xiang 想xiang")
# Very common full given names (gives the 张伟 / 王芳 / 李娜 namesakes).
ZH_COMMON_M = ("伟 磊 勇 军 杰 涛 强 斌 超 明 刚 平 辉 鹏 华 飞 鑫 波 宇 浩 建华 建国 建军 志强 志明 "
               "海涛 俊杰 子轩 浩然 宇轩 文博 晓明 国强 永强 家豪 建平 晓东 海波 志刚 立新").split()
ZH_COMMON_F = ("芳 娜 敏 静 丽 艳 娟 霞 燕 玲 婷 颖 秀英 秀兰 桂英 玉兰 丽娟 晓燕 淑华 玉珍 雪梅 海燕 "
               "婷婷 欣怡 子涵 梓涵 雨涵 诗涵 思雨 佳怡 美玲 慧敏 丽华 春梅 金凤 晓红 秀珍 红梅").split()
ZH_ENGLISH_M = "Kevin Jason Tony Jack Eric Frank Michael Leo Sam Peter David Andy Ben Alex Vincent Steven Jimmy Henry Ryan Allen".split()
ZH_ENGLISH_F = "Amy Vivian Coco Lily Grace Cindy Alice Helen Annie Ivy Candy Jenny Sophia Emma Linda Sunny Crystal Tina Cherry Wendy".split()

# --- English-speaking names (rough popularity order; weights are Zipf-like) ---
EN_GIVEN_M = """James John Robert Michael David William Richard Joseph Thomas Christopher Charles Daniel
Matthew Anthony Mark Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Jason Edward
Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory
Alexander Patrick Frank Raymond Jack Dennis Jerry Tyler Aaron Peter Oliver Harry Liam Noah Ethan Lucas
Mason Nathan Adam Luke Simon Ian Graham Neil Stuart Craig Gavin Darren Lachlan Connor Callum Hamish Rhys
Owen Philip Geoffrey Trevor Keith Colin Alan Barry Wayne Dean Shane Brett Bruce Malcolm Jon Sean William""".split()
EN_GIVEN_F = """Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty
Margaret Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah Stephanie Rebecca
Sharon Laura Cynthia Kathleen Amy Angela Shirley Anna Brenda Pamela Emma Nicole Helen Samantha Katherine
Christine Rachel Carolyn Janet Catherine Maria Heather Diane Ruth Julie Olivia Joyce Victoria Kelly Lauren
Christina Joan Evelyn Judith Megan Andrea Cheryl Hannah Jacqueline Martha Teresa Ann Sara Frances Kathryn
Janice Jean Abigail Alice Julia Judy Sophie Grace Chloe Charlotte Amelia Isla Ella Rhonda Tracey Kylie
Leanne Narelle Gemma Claire Zoe Fiona Alison Joanne Louise""".split()
EN_SURNAMES = """Smith Jones Williams Brown Taylor Johnson Davies Wilson Evans Thomas Roberts Walker Wright
Thompson White Robinson Hughes Edwards Green Hall Wood Harris Lewis Martin Jackson Clarke Clark Turner Hill
Scott Cooper Morris Ward Moore King Watson Baker Harrison Morgan Patel Young Allen Mitchell James Anderson
Phillips Lee Bell Parker Davis Miller Garcia Rodriguez Martinez Hernandez Lopez Gonzalez Kelly Murphy Ryan
O'Brien O'Connor MacDonald Campbell Stewart Reid Murray Ross Fraser Graham Hamilton Kennedy Gray Collins
Cook Bailey Carter Adams Nelson Howard Cox Richardson Russell Griffiths Lloyd Price Bennett Marshall Simpson
Ellis Chapman Mason Webb Rogers Matthews Hunt Palmer Mills Holmes Knight Butler Barnes Fisher Henderson
Johnston Pearson Sullivan Fletcher Dixon Burns Shaw Lawrence Gibson Kaur Singh Nguyen Tran Kim Rossi
Fitzgerald Doherty Brennan Hart Ferguson Sutherland Watts Ball Wells Dawson Reynolds Payne Harvey Grant
Pearce Spencer Stevens Jenkins Perry Powell Long Foster Sanders Bryant Hayes Myers Ford Wallace Cole West
Jordan Owens McKenzie Ramirez Brooks Thomson Johnstone""".split()
NICK_GROUPS = [
    "Katherine Kathryn Catherine Kate Katie Kathy", "William Bill Will Billy", "Robert Bob Rob Bobby",
    "Steven Stephen Steve", "Jon John Jonathan Johnny", "Michael Mike Mick", "Elizabeth Liz Beth Betty Lizzie",
    "Margaret Maggie Peggy Meg", "James Jim Jimmy Jamie", "Richard Rick Rich Dick", "Thomas Tom Tommy",
    "Christopher Chris", "Daniel Dan Danny", "Matthew Matt", "Anthony Tony", "Joseph Joe Joey",
    "Charles Charlie Chuck", "Edward Ed Ted Eddie", "Jennifer Jenny Jen", "Susan Sue Suzie",
    "Deborah Debbie Debra", "Patricia Pat Trish Patty", "Rebecca Becky Bec", "Alexander Alex",
    "Samuel Sam", "Benjamin Ben", "Nicholas Nick", "Andrew Andy Drew", "Timothy Tim", "Jessica Jess",
    "Sarah Sara", "Ann Anne Annie", "Philip Phillip Phil", "Geoffrey Jeffrey Geoff Jeff", "Kenneth Ken",
    "Gregory Greg", "Peter Pete", "Raymond Ray", "Ronald Ron", "Lawrence Larry", "Kimberly Kim",
    "Pamela Pam", "Victoria Vicky", "Christine Christina Chris", "Jacqueline Jackie", "Samantha Sam",
    "Amanda Mandy", "Frances Fran", "Judith Judy", "Joanne Jo", "Abigail Abby", "Stuart Stewart",
    "Alan Allan", "Brian Bryan", "Sean Shaun", "Tracey Tracy", "Louise Lou", "Dorothy Dot",
    "Teresa Theresa Terri", "Cynthia Cindy", "Gary Garry", "Neil Neal", "Graham Graeme", "Callum Calum",
    "Lachlan Lachie", "Malcolm Mal", "Nathan Nate", "Oliver Ollie", "Harry Henry", "Hannah Hanna",
    "Megan Meg", "Rhonda Ronda", "Helen Helena", "Julie Julia", "Emily Em", "Leanne Lee-Anne",
    "Nancy Nan", "Donna Don", "Carol Carole", "Ashley Ash", "Stephanie Steph", "Melissa Mel",
    "Angela Angie", "Laura Laurie", "Joshua Josh", "Benjamin Benji", "Zoe Zoey", "Isla Isabella",
]
SURNAME_VARIANTS = ["Thompson Thomson", "MacDonald McDonald Macdonald", "Smith Smyth", "Reid Reed Read",
                    "Clarke Clark", "Phillips Philips", "Gray Grey", "O'Brien OBrien O Brien",
                    "O'Connor OConnor", "Davies Davis", "Johnston Johnstone", "Stewart Stuart",
                    "McKenzie MacKenzie Mackenzie", "Anderson Andersen", "Matthews Mathews",
                    "Griffiths Griffith", "Jenkins Jenkin", "Stevens Stephens", "Fraser Frazer",
                    "Lloyd Loyd", "Pearce Pierce", "Hayes Hays", "Myers Meyers"]

# --- Chinese geography: key, province, city, city pinyin, districts, area code, postcode prefix, weight,
#     ID-card prefix, landline digits ---
ZH_CITIES = [
    ("北京", "", "北京市", "Beijing", "朝阳区 海淀区 东城区 西城区 丰台区 通州区", "10", "100", 6, "1101", 8),
    ("上海", "", "上海市", "Shanghai", "浦东新区 徐汇区 静安区 长宁区 闵行区 杨浦区", "21", "200", 6, "3101", 8),
    ("天津", "", "天津市", "Tianjin", "和平区 南开区 河西区 滨海新区", "22", "300", 2, "1201", 8),
    ("重庆", "", "重庆市", "Chongqing", "渝中区 江北区 南岸区 沙坪坝区", "23", "400", 2, "5001", 8),
    ("广州", "广东省", "广州市", "Guangzhou", "天河区 越秀区 海珠区 番禺区 白云区", "20", "510", 5, "4401", 8),
    ("深圳", "广东省", "深圳市", "Shenzhen", "南山区 福田区 罗湖区 宝安区 龙岗区", "755", "518", 5, "4403", 8),
    ("东莞", "广东省", "东莞市", "Dongguan", "南城街道 东城街道 长安镇 虎门镇", "769", "523", 1.5, "4419", 8),
    ("杭州", "浙江省", "杭州市", "Hangzhou", "西湖区 拱墅区 滨江区 余杭区 上城区", "571", "310", 3, "3301", 8),
    ("宁波", "浙江省", "宁波市", "Ningbo", "海曙区 鄞州区 江北区", "574", "315", 1.5, "3302", 8),
    ("南京", "江苏省", "南京市", "Nanjing", "鼓楼区 玄武区 秦淮区 建邺区", "25", "210", 2.5, "3201", 8),
    ("苏州", "江苏省", "苏州市", "Suzhou", "姑苏区 工业园区 吴中区 相城区", "512", "215", 2.5, "3205", 8),
    ("成都", "四川省", "成都市", "Chengdu", "武侯区 锦江区 青羊区 成华区 金牛区", "28", "610", 3, "5101", 8),
    ("武汉", "湖北省", "武汉市", "Wuhan", "江汉区 武昌区 洪山区 江岸区", "27", "430", 2.5, "4201", 8),
    ("西安", "陕西省", "西安市", "Xi'an", "雁塔区 碑林区 未央区 莲湖区", "29", "710", 2, "6101", 8),
    ("长沙", "湖南省", "长沙市", "Changsha", "岳麓区 芙蓉区 天心区 开福区", "731", "410", 1.5, "4301", 8),
    ("厦门", "福建省", "厦门市", "Xiamen", "思明区 湖里区 集美区", "592", "361", 1.2, "3502", 7),
    ("青岛", "山东省", "青岛市", "Qingdao", "市南区 市北区 崂山区 黄岛区", "532", "266", 1.5, "3702", 8),
    ("郑州", "河南省", "郑州市", "Zhengzhou", "金水区 二七区 中原区 管城回族区", "371", "450", 1.5, "4101", 8),
]
ZH_STREETS = ("人民路 中山路 解放路 建设路 南京路 长江路 和平路 学府路 科技路 文化路 新华路 胜利路 延安路 "
              "北京路 青年路 东风路 迎宾大道 滨河路 环城东路 工业大道 世纪大道 创业路 光明街 幸福街 花园路 "
              "湖滨路 体育西路 天府大道 深南大道 淮海中路 中关村大街 金融街 长安街 黄河路 复兴路 朝阳北路 "
              "南山大道 江南大道 解放北路 民主路").split()
ZH_ESTATES = ("阳光花园 碧桂园 万科城 金色家园 绿地世纪城 翠苑 锦绣华庭 幸福小区 和平里 东方明珠花园 华润城 "
              "保利花园 龙湖春江郦城 恒大名都 中海国际社区 融创壹号院 金地格林小镇 世纪花园 滨江花园 "
              "丽景湾 天鹅湖花园 书香门第 紫荆苑 康乐小区").split()
ZH_BUILDINGS = ("国贸大厦 金融中心 科技园A座 华润大厦 环球中心 创业大厦 世贸中心 财富广场 信息港 时代广场 "
                "国际商务中心 软件园二期 中心大厦 银泰中心").split()
ZH_MOBILE_PREFIX = ("130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 "
                    "170 173 175 176 177 178 180 181 182 183 185 186 187 188 189 191 198 199").split()

# --- UK: town, county, area code, local digits, outward codes, localities, weight ---
UK_TOWNS = [
    ("London", "", "20", 8, "SW1A SW3 SW11 SE1 SE10 E1 E14 N1 N7 NW1 NW3 W1 W2 W12 EC1 WC1",
     "Camden Islington Hackney Battersea Greenwich Wimbledon Ealing Clapham", 6),
    ("Manchester", "Greater Manchester", "161", 7, "M1 M4 M14 M20 M21", "Didsbury Chorlton Salford Fallowfield", 1.5),
    ("Birmingham", "West Midlands", "121", 7, "B1 B5 B15 B29 B30", "Edgbaston Moseley Selly Oak", 1.5),
    ("Leeds", "West Yorkshire", "113", 7, "LS1 LS6 LS11 LS17", "Headingley Roundhay", 1),
    ("Glasgow", "", "141", 7, "G1 G3 G12 G41", "Partick Shawlands", 1),
    ("Edinburgh", "", "131", 7, "EH1 EH3 EH6 EH10", "Leith Morningside", 1),
    ("Bristol", "", "117", 7, "BS1 BS6 BS8 BS16", "Clifton Redland", 1),
    ("Liverpool", "Merseyside", "151", 7, "L1 L8 L17 L18", "Allerton Toxteth", 1),
    ("Cardiff", "", "29", 8, "CF10 CF11 CF14 CF24", "Roath Canton", 0.8),
    ("Cambridge", "Cambridgeshire", "1223", 6, "CB1 CB2 CB4 CB5", "Chesterton Cherry-Hinton", 0.6),
    ("Oxford", "Oxfordshire", "1865", 6, "OX1 OX2 OX3 OX4", "Headington Cowley", 0.6),
    ("Nottingham", "Nottinghamshire", "115", 7, "NG1 NG5 NG7 NG9", "Beeston Arnold", 0.8),
]
UK_STREET_NAMES = ("High Station Church Park Victoria Green Manor Kings Queens Mill London New North School "
                   "Grange Albert Springfield Oak Elm Windsor Meadow York Cedar Chapel Orchard Richmond Stanley "
                   "Alexandra Marlborough Beech Willow Ash").split()
# suffix, abbreviation ('' = none)
UK_SUFFIX = [("Street", "St"), ("Road", "Rd"), ("Lane", "Ln"), ("Avenue", "Ave"), ("Close", "Cl"),
             ("Crescent", "Cres"), ("Drive", "Dr"), ("Gardens", "Gdns"), ("Place", "Pl"), ("Grove", "Gr"),
             ("Terrace", "Terr"), ("Court", "Ct"), ("Way", "")]
US_CITIES = [
    ("New York", "NY", "100 101 102", "212 646 917", 5), ("Brooklyn", "NY", "112", "718 347", 2),
    ("Los Angeles", "CA", "900", "213 310 323", 4), ("San Francisco", "CA", "941", "415 628", 2),
    ("Chicago", "IL", "606", "312 773", 3), ("Houston", "TX", "770", "713 281", 2),
    ("Seattle", "WA", "981", "206", 2), ("Boston", "MA", "021", "617", 2), ("Austin", "TX", "787", "512", 1),
    ("Denver", "CO", "802", "303 720", 1), ("Atlanta", "GA", "303", "404 678", 1.5),
    ("Miami", "FL", "331", "305 786", 1.5), ("Portland", "OR", "972", "503", 1),
    ("San Diego", "CA", "921", "619 858", 1.5), ("Philadelphia", "PA", "191", "215 267", 1.5),
    ("Phoenix", "AZ", "850", "602 480", 1),
]
US_STREET_NAMES = ("Main Oak Maple Pine Cedar Elm Washington Lake Hill Park Sunset Lincoln Jackson Madison "
                   "Jefferson Highland Ridge Franklin Chestnut Walnut Spring Church Willow Meadow 2nd 3rd 5th "
                   "Broadway Market Mission Valencia Grand").split()
US_SUFFIX = [("Street", "St"), ("Avenue", "Ave"), ("Road", "Rd"), ("Drive", "Dr"), ("Lane", "Ln"),
             ("Boulevard", "Blvd"), ("Court", "Ct"), ("Place", "Pl"), ("Way", ""), ("Terrace", "Ter")]
US_DIRS = [("North", "N"), ("South", "S"), ("East", "E"), ("West", "W")]
AU_CITIES = [
    ("Sydney", "NSW", "2", "9", "Parramatta:2150 Chatswood:2067 Bondi:2026 Newtown:2042 Hurstville:2220 Burwood:2134 "
     "Strathfield:2135 Epping:2121 Eastwood:2122 Ryde:2112 Hornsby:2077 Castle-Hill:2154 Blacktown:2148 "
     "Surry-Hills:2010 Sydney:2000", 4),
    ("Melbourne", "VIC", "3", "9", "Box-Hill:3128 Glen-Waverley:3150 Richmond:3121 St-Kilda:3182 Carlton:3053 "
     "Doncaster:3108 Footscray:3011 Brunswick:3056 Camberwell:3124 Clayton:3168 Melbourne:3000", 4),
    ("Brisbane", "QLD", "7", "3", "Sunnybank:4109 Fortitude-Valley:4006 Indooroopilly:4068 Toowong:4066 "
     "Chermside:4032 Carindale:4152 Brisbane-City:4000", 2),
    ("Perth", "WA", "8", "9", "Subiaco:6008 Fremantle:6160 Joondalup:6027 Cannington:6107 Victoria-Park:6100 Perth:6000", 1.5),
    ("Adelaide", "SA", "8", "8", "Glenelg:5045 Norwood:5067 Unley:5061 Prospect:5082 Adelaide:5000", 1),
    ("Canberra", "ACT", "2", "6", "Belconnen:2617 Woden:2606 Braddon:2612 Gungahlin:2912", 0.6),
    ("Hobart", "TAS", "3", "6", "Sandy-Bay:7005 Battery-Point:7004", 0.4),
]
AU_STREET_NAMES = ("George Pitt King Queen Elizabeth Victoria Church High Main Station Railway Park Pacific Beach "
                   "Ocean Bay Military Anzac Kent Oxford Smith Collins Bourke Chapel Sydney Hume Princes "
                   "Great-Western").split()
AU_SUFFIX = [("Street", "St"), ("Road", "Rd"), ("Avenue", "Ave"), ("Parade", "Pde"), ("Crescent", "Cres"),
             ("Drive", "Dr"), ("Place", "Pl"), ("Close", "Cl"), ("Terrace", "Tce"), ("Highway", "Hwy"),
             ("Court", "Ct"), ("Lane", "Ln")]

# --- companies ---
ZH_CO_CHARS = ("华hua 信xin 恒heng 通tong 鑫xin 源yuan 宏hong 达da 天tian 成cheng 金jin 鹏peng 永yong 盛sheng "
               "瑞rui 丰feng 博bo 远yuan 汇hui 中zhong 联lian 新xin 东dong 方fang 海hai 川chuan 腾teng 飞fei "
               "创chuang 卓zhuo 越yue 润run 嘉jia 禾he 佳jia 美mei 桥qiao 银yin 河he 科ke 林lin 星xing "
               "辰chen 明ming 辉hui 世shi 兴xing 业ye 安an 德de 昌chang 龙long 凯kai 和he 合he 力li 泰tai "
               "隆long 康kang 顺shun 富fu 宇yu 晟sheng 诚cheng 亿yi 锦jin 阳yang")
ZH_INDUSTRY = [("科技", "tech"), ("贸易", "trade"), ("实业", "group"), ("商贸", "trading"), ("电子", "elec"),
               ("建筑工程", "build"), ("文化传媒", "media"), ("餐饮管理", "food"), ("物流", "logistics"),
               ("信息技术", "it"), ("机械设备", "machinery"), ("服装", "fashion"), ("食品", "foods"),
               ("医疗器械", "medical"), ("装饰工程", "deco"), ("投资咨询", "invest"), ("网络科技", "net"),
               ("教育科技", "edu"), ("进出口", "impexp"), ("汽车服务", "auto")]
ZH_CO_SUFFIX = ["有限公司"] * 8 + ["股份有限公司", "有限责任公司"]
EN_CO_WORDS = ("Acme Apex Summit Harbour Bluegum Redwood Northern Pacific Atlantic Silverline Oakridge Meridian "
               "Pinnacle Horizon Keystone Brightstar Evergreen Ironbark Coastal Riverside Highland Crown Sterling "
               "Granite Phoenix Vertex Beacon Cedar Falcon Kestrel Orbit Lighthouse Westgate Eastside").split()
EN_CO_INDUSTRY = ("Consulting Holdings Trading Logistics Solutions Industries Partners Design Engineering "
                  "Construction Plumbing Electrical Accounting Legal Media Imports Foods Motors Dental "
                  "Landscaping Software Marketing Supplies Property").split()
EN_CO_SUFFIX = {"uk": ["Limited", "Ltd", "Ltd", "Ltd.", "LLP", "PLC", ""],
                "us": ["Incorporated", "Inc.", "Inc.", "Inc", "LLC", "LLC", "Corporation", "Corp.", "Co.", ""],
                "au": ["Pty Ltd", "Pty Ltd", "Pty. Ltd.", "Pty Limited", "Proprietary Limited", ""]}
EN_CO_ABBR = {"Limited": "Ltd", "Ltd": "Limited", "Ltd.": "Ltd", "Incorporated": "Inc.", "Inc.": "Inc",
              "Inc": "Incorporated", "Corporation": "Corp.", "Corp.": "Corp", "Co.": "Company",
              "Pty Ltd": "P/L", "Pty. Ltd.": "Pty Ltd", "Pty Limited": "Pty Ltd", "Proprietary Limited": "Pty Ltd",
              "LLC": "L.L.C.", "PLC": "plc", "LLP": "L.L.P."}

EMAIL_DOMAINS = {
    "uk": (["gmail.com", "hotmail.co.uk", "outlook.com", "yahoo.co.uk", "btinternet.com", "sky.com", "icloud.com"],
           [30, 15, 15, 10, 10, 8, 8]),
    "us": (["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "aol.com", "icloud.com", "comcast.net"],
           [40, 15, 10, 12, 5, 12, 6]),
    "au": (["gmail.com", "bigpond.com", "hotmail.com", "outlook.com", "optusnet.com.au", "icloud.com"],
           [35, 15, 15, 12, 10, 13]),
    "zh": (["163.com", "126.com", "sina.com", "foxmail.com", "sohu.com", "yeah.net", "gmail.com", "hotmail.com"],
           [35, 20, 10, 12, 5, 5, 8, 5]),
}
EMAIL_TYPO_DOMAIN = {"gmail.com": ["gmial.com", "gmail.con", "gmai.com", "gamil.com", "gmail.co"],
                     "hotmail.com": ["hotmial.com", "hotmail.con", "hotmai.com"],
                     "hotmail.co.uk": ["hotmail.co", "hotmial.co.uk", "hotmail.com.uk"],
                     "yahoo.com": ["yaho.com", "yahooo.com", "yahoo.con"], "yahoo.co.uk": ["yahoo.co", "yaho.co.uk"],
                     "outlook.com": ["outlok.com", "outlook.con", "outloo.com"], "qq.com": ["qq.con", "qq.cm", "qqq.com"],
                     "163.com": ["163.con", "136.com", "163.cm"], "126.com": ["126.con", "162.com"],
                     "bigpond.com": ["bigpond.com.au", "bigpong.com"], "icloud.com": ["icoud.com", "icloud.con"]}
GENERIC_MAILBOX = {"zh": ["info", "service", "sales", "admin", "office", "kefu"],
                   "uk": ["info", "sales", "enquiries", "office", "admin", "accounts"],
                   "us": ["info", "sales", "contact", "office", "admin", "support"],
                   "au": ["info", "sales", "admin", "reception", "accounts", "office"]}

NOTES_ZH = ["老客户", "VIP", "需开发票", "要发票", "已加微信", "微信联系", "电话打不通", "周末勿扰", "转介绍",
            "展会认识", "欠款未结", "月结", "送货前电话联系", "质量投诉过", "老板朋友", "要求送货上门", "价格敏感"]
NOTES_EN = ["VIP", "Prefers email", "Call after 5pm", "Referred by existing customer", "Met at trade show",
            "Invoice monthly", "Do not call", "Wholesale", "Paid by card", "Account on hold", "Net 30",
            "Left voicemail", "Wants catalogue", "Delivery: leave at door", "Price sensitive"]
OWNERS_ZH = ["张经理", "王丽", "李明", "刘强", "陈静", "赵磊", "小周", "孙总"]
OWNERS_EN = ["Tom Baker", "Sarah Lee", "Mike Chen", "Emma Walsh", "Raj Patel", "Lucy Grant", "Dave O'Neill"]
MON = [None, "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
KEYB = {"q": "wa", "w": "qes", "e": "wrd", "r": "etf", "t": "ryg", "y": "tuh", "u": "yij", "i": "uok",
        "o": "ipl", "p": "ol", "a": "qsz", "s": "awdxz", "d": "sefcx", "f": "drgvc", "g": "fthbv", "h": "gyjnb",
        "j": "hukmn", "k": "jilm", "l": "kop", "z": "asx", "x": "zsdc", "c": "xdfv", "v": "cfgb", "b": "vghn",
        "n": "bhjm", "m": "njk"}

KIND_ORDER = ["exact", "name-typo", "name-variant", "name-swapped", "name-one-column", "case-space",
              "phone-format", "phone-missing", "phone-typo", "new-phone", "email-missing", "email-typo",
              "new-email", "company-abbrev", "address-abbrev", "moved"]
KIND_IDX = {k: i for i, k in enumerate(KIND_ORDER)}


def _parse_py(s):
    out = []
    for tok in s.split():
        out.append((tok[0], tok[1:]))
    return out


ZH_SURNAMES = []
ZH_SUR_W = []
ZH_SUR_PY = {}
for tok in ZH_SURNAMES_SRC.split():
    ch, py, w = tok.split(":")
    ZH_SURNAMES.append(ch)
    ZH_SUR_W.append(float(w))
    ZH_SUR_PY[ch] = py
ZH_SUR_TYPO = {}
for tok in ZH_SUR_TYPO_SRC.split():
    k, v = tok.split(":")
    ZH_SUR_TYPO[k] = [v] if len(k) > 1 else list(v)
ZH_PY = {}
HOMO = {}
for ch, py in _parse_py(ZH_GIVEN_M) + _parse_py(ZH_GIVEN_F) + _parse_py(ZH_HOMO_ONLY) + _parse_py(ZH_CO_CHARS):
    ZH_PY.setdefault(ch, py)
for ch, py in ZH_PY.items():
    HOMO.setdefault(py, []).append(ch)
ZH_GM = [c for c, _ in _parse_py(ZH_GIVEN_M)]
ZH_GF = [c for c, _ in _parse_py(ZH_GIVEN_F)]
ZH_CO = [c for c, _ in _parse_py(ZH_CO_CHARS)]
NICK = {}
for g in NICK_GROUPS:
    names = g.split()
    for n in names:
        NICK.setdefault(n, set()).update(x for x in names if x != n)
NICK = {k: sorted(v) for k, v in NICK.items()}
SURVAR = {}
for g in SURNAME_VARIANTS:
    parts = ["O'Brien", "OBrien", "O Brien"] if g.startswith("O'Brien") else g.split()
    for n in parts:
        SURVAR.setdefault(n, set()).update(x for x in parts if x != n)
SURVAR = {k: sorted(v) for k, v in SURVAR.items()}
EN_GIVEN_M = list(dict.fromkeys(EN_GIVEN_M))
EN_GIVEN_F = list(dict.fromkeys(EN_GIVEN_F))
EN_SURNAMES = list(dict.fromkeys(EN_SURNAMES))


def zipf_w(n, a=0.9):
    w = 1.0 / np.arange(1, n + 1) ** a
    return w / w.sum()


# =============================================================================
# People
# =============================================================================

class Rec:
    """A person (canonical record) or a per-row variant of one."""
    __slots__ = ("cul", "sex", "fam", "giv", "fpy", "gpy", "eng", "latin", "full", "mobile", "land", "primary",
                 "email", "company", "addr", "idno", "title", "cs", "nform", "city_i")

    def copy(self):
        n = Rec.__new__(Rec)
        for s in Rec.__slots__:
            setattr(n, s, getattr(self, s))
        return n


CULS = ["zh", "uk", "us", "au"]


class Gen:
    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.r = random.Random(seed * 7919 + 17)
        r = self.r
        # precomputed cumulative weights for fast weighted choice
        self.zh_city_cw = list(np.cumsum([c[7] for c in ZH_CITIES]))
        self.uk_town_cw = list(np.cumsum([c[6] for c in UK_TOWNS]))
        self.us_city_cw = list(np.cumsum([c[4] for c in US_CITIES]))
        self.au_city_cw = list(np.cumsum([c[5] for c in AU_CITIES]))
        self.au_sub = [[tuple(x.split(":")) for x in c[4].split()] for c in AU_CITIES]
        self.zh_common_m_cw = list(np.cumsum(zipf_w(len(ZH_COMMON_M), 1.0)))
        self.zh_common_f_cw = list(np.cumsum(zipf_w(len(ZH_COMMON_F), 1.0)))
        del r

    # ---------------- phones ----------------
    def zh_mobile(self):
        r = self.r
        return ("cn", "m", r.choice(ZH_MOBILE_PREFIX) + "%08d" % r.randrange(10 ** 8))

    def mobile(self, cul):
        r = self.r
        if cul == "zh":
            return self.zh_mobile()
        if cul == "uk":
            return ("uk", "m", "7" + r.choice("45789") + "%08d" % r.randrange(10 ** 8))
        if cul == "us":
            c = US_CITIES[r.randrange(len(US_CITIES))]
            return ("us", "x", r.choice(c[3].split()), str(r.randrange(201, 999)), "%04d" % r.randrange(10000))
        return ("au", "m", "4" + "%08d" % r.randrange(10 ** 8))

    def landline(self, cul, city_i):
        r = self.r
        if cul == "zh":
            c = ZH_CITIES[city_i]
            n = c[9]
            return ("cn", "l", c[5], str(r.randrange(2, 9)) + "%0*d" % (n - 1, r.randrange(10 ** (n - 1))))
        if cul == "uk":
            t = UK_TOWNS[city_i]
            n = t[3]
            first = r.choice("378") if t[2] == "20" else ("2" if t[2] == "29" else str(r.randrange(2, 9)))
            return ("uk", "l", t[2], first + "%0*d" % (n - 1, r.randrange(10 ** (n - 1))))
        if cul == "us":
            c = US_CITIES[city_i]
            return ("us", "x", r.choice(c[3].split()), str(r.randrange(201, 999)), "%04d" % r.randrange(10000))
        c = AU_CITIES[city_i]
        return ("au", "l", c[2], c[3] + "%07d" % r.randrange(10 ** 7))

    # ---------------- addresses ----------------
    def city_for(self, cul):
        r = self.r
        if cul == "zh":
            cw = self.zh_city_cw
        elif cul == "uk":
            cw = self.uk_town_cw
        elif cul == "us":
            cw = self.us_city_cw
        else:
            cw = self.au_city_cw
        return r.choices(range(len(cw)), cum_weights=cw)[0]

    def address(self, cul, city_i, business=False):
        r = self.r
        if cul == "zh":
            c = ZH_CITIES[city_i]
            dist = r.choice(c[4].split())
            street = r.choice(ZH_STREETS) + "%d号" % r.randrange(1, 1500)
            if business:
                sub = ("biz", r.choice(ZH_BUILDINGS), r.randrange(2, 40), r.randrange(1, 30), 0)
            elif r.random() < 0.85:
                sub = ("res", r.choice(ZH_ESTATES), r.randrange(1, 30), r.randrange(1, 6), r.randrange(1, 33) * 100 + r.randrange(1, 5))
            else:
                sub = None
            level = r.choices((0, 1, 2), (35, 50, 15))[0] if c[1] else r.choices((1, 2), (80, 20))[0]
            pc = c[6] + "%03d" % r.randrange(0, 200)
            return ("zh", city_i, dist, street, sub, 0, pc, level)
        if cul == "uk":
            t = UK_TOWNS[city_i]
            unit = ""
            if business:
                unit = "Unit %d" % r.randrange(1, 30) if r.random() < 0.5 else "Suite %d" % r.randrange(1, 12)
            elif r.random() < 0.18:
                unit = "Flat %d" % r.randrange(1, 40)
            suf = r.randrange(len(UK_SUFFIX))
            if UK_STREET_NAMES and r.random() < 0.25:
                suf = 0
            name = r.choice(UK_STREET_NAMES)
            loc = r.choice(t[5].split()).replace("-", " ") if r.random() < 0.35 else ""
            pc = "%s %d%s%s" % (r.choice(t[4].split()), r.randrange(1, 10), r.choice("ABDEFGHJLNPQRSTUWXYZ"),
                                r.choice("ABDEFGHJLNPQRSTUWXYZ"))
            abbr = 1 if r.random() < 0.3 else 0
            return ("uk", city_i, unit, r.randrange(1, 250), name, suf, abbr, loc, pc)
        if cul == "us":
            c = US_CITIES[city_i]
            unit = ""
            if business:
                unit = "Suite %d" % (r.randrange(1, 30) * 100)
            elif r.random() < 0.25:
                unit = r.choice(["Apt %d%s" % (r.randrange(1, 20), r.choice("ABCD")), "Apt %d" % r.randrange(1, 400),
                                 "Unit %d" % r.randrange(1, 99), "#%d" % r.randrange(1, 99)])
            d = r.randrange(4) if r.random() < 0.18 else -1
            zp = r.choice(c[2].split()) + "%02d" % r.randrange(1, 99)
            abbr = 1 if r.random() < 0.45 else 0
            return ("us", city_i, unit, r.randrange(1, 9999), d, r.choice(US_STREET_NAMES), r.randrange(len(US_SUFFIX)), abbr, zp)
        c = AU_CITIES[city_i]
        unit = ""
        if business:
            unit = "Level %d" % r.randrange(1, 30) if r.random() < 0.6 else "Suite %d" % r.randrange(1, 20)
        elif r.random() < 0.25:
            unit = "Unit %d" % r.randrange(1, 40)
        sub_i = r.randrange(len(self.au_sub[city_i]))
        abbr = 1 if r.random() < 0.35 else 0
        return ("au", city_i, unit, r.randrange(1, 400), r.choice(AU_STREET_NAMES).replace("-", " "),
                r.randrange(len(AU_SUFFIX)), abbr, sub_i)

    # ---------------- names ----------------
    def zh_given(self, sex):
        r = self.r
        if r.random() < 0.45:
            if sex == "M":
                return r.choices(ZH_COMMON_M, cum_weights=self.zh_common_m_cw)[0]
            return r.choices(ZH_COMMON_F, cum_weights=self.zh_common_f_cw)[0]
        pool = ZH_GM if sex == "M" else ZH_GF
        if r.random() < 0.12:
            return r.choice(pool)
        return r.choice(pool) + r.choice(pool)

    def en_given(self, sex):
        return self.en_m[self.r.randrange(len(self.en_m))] if sex == "M" else self.en_f[self.r.randrange(len(self.en_f))]

    def zh_company(self, city_i):
        r = self.r
        city = ZH_CITIES[city_i][0] if r.random() < 0.6 else ""
        zh = r.choice(ZH_CO) + r.choice(ZH_CO)
        ind = r.randrange(len(ZH_INDUSTRY))
        return ("zh", city, zh, ind, r.choice(ZH_CO_SUFFIX))

    def en_company(self, cul, fam=None):
        r = self.r
        x = r.random()
        if x < 0.55:
            core = r.choice(EN_CO_WORDS) + " " + r.choice(EN_CO_INDUSTRY)
        elif x < 0.75:
            core = (fam or r.choice(EN_SURNAMES)) + r.choice([" & Sons", " and Partners", " Brothers", " & Co"]) \
                + ((" " + r.choice(EN_CO_INDUSTRY)) if r.random() < 0.5 else "")
        elif x < 0.9:
            core = r.choice(EN_CO_WORDS) + " " + r.choice(EN_CO_WORDS) + " " + r.choice(EN_CO_INDUSTRY)
        else:
            core = (fam or r.choice(EN_SURNAMES)) + " " + r.choice(EN_CO_INDUSTRY) + " Group"
        return ("en", core, r.choice(EN_CO_SUFFIX[cul]))

    # ---------------- email ----------------
    def email_for(self, p, domain=None):
        r = self.r
        if p.cul == "zh":
            x = r.random()
            fpy, gpy = p.fpy, p.gpy
            if domain:
                return r.choice([gpy + "." + fpy, fpy + gpy, fpy + "." + gpy, gpy[0] + fpy, (p.eng or gpy).lower() + "." + fpy]) + "@" + domain
            if x < 0.33:
                return "%d@qq.com" % r.randrange(10000, 3999999999)
            if x < 0.43 and p.mobile:
                return p.mobile[2] + "@" + r.choice(["139.com", "163.com", "qq.com"])
            if x < 0.58 and p.eng:
                return "%s.%s%s@%s" % (p.eng.lower(), fpy, r.choice(["", str(r.randrange(1, 99))]),
                                      r.choice(["gmail.com", "outlook.com", "hotmail.com", "163.com"]))
            doms, w = EMAIL_DOMAINS["zh"]
            loc = r.choice([fpy + gpy, fpy + gpy + str(r.randrange(60, 99)), fpy + "_" + gpy,
                            fpy + gpy + str(r.randrange(1, 999)), gpy + fpy, (fpy[0] + "".join(_syl_initials(gpy))) + str(r.randrange(1970, 2005))])
            return loc + "@" + r.choices(doms, w)[0]
        f = _ascii_local(p.giv)
        l = _ascii_local(p.fam)
        if domain:
            return r.choice([f + "." + l, f[0] + l, f, f + l[0]]) + "@" + domain
        doms, w = EMAIL_DOMAINS[p.cul]
        loc = r.choices([f + "." + l, f + l, f[0] + "." + l, f[0] + l, f + "_" + l, f + "." + l + str(r.randrange(1, 99)),
                         l + "." + f, f + str(r.randrange(1, 999)), f + l[0] + str(r.randrange(60, 99))],
                        [22, 12, 8, 10, 6, 12, 5, 12, 8])[0]
        return loc + "@" + r.choices(doms, w)[0]


def _syl_initials(py):
    # crude: first letter of each pinyin syllable (given names here are 1-2 syllables)
    out = [py[0]]
    for i in range(1, len(py)):
        if py[i] not in "aeiouvngr" and py[i - 1] in "aeiouvngr" and not (py[i] == "h" and py[i - 1] in "zcs"):
            out.append(py[i])
            break
    return out


def _ascii_local(s):
    return "".join(ch for ch in s.lower() if "a" <= ch <= "z")


def zh_pinyin(s):
    return "".join(ZH_PY.get(ch, ZH_SUR_PY.get(ch, "x")) for ch in s)


def make_people(g, E):
    """Return list of Rec (canonical people) with households, colleagues and namesakes."""
    rng, r = g.rng, g.r
    cul = rng.choice(4, size=E, p=[0.5, 0.2, 0.15, 0.15])
    sex = rng.random(E) < 0.5
    zh_sur = rng.choice(len(ZH_SURNAMES), size=E, p=np.array(ZH_SUR_W) / sum(ZH_SUR_W))
    en_sur = rng.choice(len(EN_SURNAMES), size=E, p=zipf_w(len(EN_SURNAMES), 0.8))
    g.en_m = list(rng.choice(EN_GIVEN_M, size=20000, p=zipf_w(len(EN_GIVEN_M), 0.9)))
    g.en_f = list(rng.choice(EN_GIVEN_F, size=20000, p=zipf_w(len(EN_GIVEN_F), 0.9)))
    u = rng.random((E, 8))
    people = []
    for i in range(E):
        p = Rec.__new__(Rec)
        c = CULS[cul[i]]
        p.cul = c
        p.sex = "M" if sex[i] else "F"
        p.latin = False
        p.full = p.cs = p.nform = p.idno = None
        ci = g.city_for(c)
        p.city_i = ci
        if c == "zh":
            p.fam = ZH_SURNAMES[zh_sur[i]]
            p.giv = g.zh_given(p.sex)
            p.fpy = ZH_SUR_PY[p.fam]
            p.gpy = zh_pinyin(p.giv)
            p.eng = (r.choice(ZH_ENGLISH_M) if p.sex == "M" else r.choice(ZH_ENGLISH_F)) if u[i, 0] < 0.3 else None
            p.title = None
        else:
            p.fam = EN_SURNAMES[en_sur[i]]
            p.giv = g.en_given(p.sex)
            p.fpy = p.gpy = p.eng = None
            p.title = ("Mr" if p.sex == "M" else r.choice(["Mrs", "Ms", "Ms", "Miss"])) if u[i, 1] > 0.03 else "Dr"
        p.addr = g.address(c, ci)
        # phones: ~3% no phone at all
        x = u[i, 2]
        if x < 0.03:
            p.mobile = p.land = p.primary = None
        else:
            p.mobile = g.mobile(c)
            p.land = g.landline(c, ci) if u[i, 3] < 0.15 else None
            p.primary = "l" if (p.land and u[i, 4] < 0.3) else "m"
        p.company = (g.zh_company(ci) if c == "zh" else g.en_company(c)) if u[i, 5] < 0.45 else None
        p.email = g.email_for(p) if u[i, 6] < 0.7 else None
        people.append(p)

    perm = rng.permutation(E)
    n_hh = int(0.04 * E)       # people living in a household with another customer
    n_co = int(0.10 * E)       # people sharing a company with another customer
    n_ns = int(0.02 * E)       # deliberate namesakes in the same city
    hh_ids = perm[:n_hh]
    co_ids = perm[n_hh:n_hh + n_co]
    ns_ids = perm[n_hh + n_co:n_hh + n_co + n_ns]
    stats = Counter()
    # ---- households: same surname (mostly), address, landline; different given names ----
    by_cul = {c: [i for i in hh_ids if people[i].cul == c] for c in CULS}
    for c, ids in by_cul.items():
        k = 0
        while k < len(ids) - 1:
            size = min(r.choices((2, 3, 4), (70, 20, 10))[0], len(ids) - k)
            grp = ids[k:k + size]
            k += size
            head = people[grp[0]]
            if head.land is None:
                head.land = g.landline(c, head.city_i) if r.random() < 0.75 else None
            fam_email = None
            if r.random() < 0.15 and head.email:
                fam_email = head.email
            givs = {head.giv}
            for m in grp[1:]:
                p = people[m]
                if r.random() < 0.85:
                    p.fam = head.fam
                    p.fpy = head.fpy
                for _ in range(10):
                    if p.giv not in givs:
                        break
                    p.giv = g.zh_given(p.sex) if c == "zh" else g.en_given(p.sex)
                if c == "zh":
                    p.gpy = zh_pinyin(p.giv)
                givs.add(p.giv)
                p.addr = head.addr
                p.city_i = head.city_i
                p.land = head.land
                if p.land and r.random() < 0.35:
                    p.primary = "l"
                if p.mobile is None and p.land:
                    p.primary = "l"
                if p.land is None and p.primary == "l":
                    p.primary = "m" if p.mobile else None
                if fam_email and r.random() < 0.6:
                    p.email = fam_email
                elif p.email:
                    p.email = g.email_for(p)
                stats["household_members"] += 1
            stats["households"] += 1
    # ---- colleagues: company, office address, switchboard, generic mailbox ----
    by_cul = {c: [i for i in co_ids if people[i].cul == c] for c in CULS}
    for c, ids in by_cul.items():
        k = 0
        while k < len(ids) - 1:
            size = min(r.choices((2, 3, 4, 5, 6, 7, 8), (35, 22, 14, 10, 8, 6, 5))[0], len(ids) - k)
            grp = ids[k:k + size]
            k += size
            head = people[grp[0]]
            comp = g.zh_company(head.city_i) if c == "zh" else g.en_company(c)
            office = g.address(c, head.city_i, business=True)
            board = g.landline(c, head.city_i)
            if c == "zh":
                dom = zh_pinyin(comp[2]) + r.choice(["", "-" + ZH_INDUSTRY[comp[3]][1]]) + r.choice([".com", ".cn", ".com.cn"])
            else:
                dom = _ascii_local(comp[1].split(" and ")[0].split(" & ")[0])[:18] + \
                    {"uk": ".co.uk", "us": ".com", "au": ".com.au"}[c]
            generic = r.choice(GENERIC_MAILBOX[c]) + "@" + dom
            for m in grp:
                p = people[m]
                p.company = comp
                p.addr = office
                p.city_i = head.city_i
                p.land = board
                if p.mobile is None or r.random() < 0.45:
                    p.primary = "l"
                x = r.random()
                if x < 0.35:
                    p.email = generic
                elif x < 0.8:
                    p.email = g.email_for(p, domain=dom)
                stats["colleagues"] += 1
            stats["companies_shared"] += 1
    # ---- namesakes: copy the name of another person of the same culture, same city ----
    pools = {c: np.flatnonzero(cul == i) for i, c in enumerate(CULS)}
    for i in ns_ids:
        p = people[i]
        pool = pools[p.cul]
        o = people[pool[r.randrange(len(pool))]]
        if o is p:
            continue
        p.fam, p.giv, p.fpy, p.gpy = o.fam, o.giv, o.fpy, o.gpy
        p.sex = o.sex
        if p.email:
            p.email = g.email_for(p)
        if r.random() < 0.7 and p.city_i != o.city_i:
            p.city_i = o.city_i
            p.addr = g.address(p.cul, p.city_i)
            if p.land:
                p.land = g.landline(p.cul, p.city_i)
        stats["namesakes"] += 1
    return people, cul, stats


# =============================================================================
# Rendering helpers: phones, addresses, names, companies
# =============================================================================

def fmt_phone(ph, st):
    c, t = ph[0], ph[1]
    if c == "cn":
        if t == "m":
            d = ph[2]
            if st == 0: return d
            if st == 1: return "%s-%s-%s" % (d[:3], d[3:7], d[7:])
            if st == 2: return "%s %s %s" % (d[:3], d[3:7], d[7:])
            if st == 3: return "+86 %s %s %s" % (d[:3], d[3:7], d[7:])
            if st == 4: return "+86" + d
            if st == 5: return "86-" + d
            return int(d)
        a, l = ph[2], ph[3]
        if st == 0: return "0%s-%s" % (a, l)
        if st == 1: return "(0%s)%s" % (a, l)
        if st == 2: return "0" + a + l
        if st == 3: return "0%s %s %s" % (a, l[:4], l[4:])
        if st == 4: return "+86 %s %s %s" % (a, l[:4], l[4:])
        if st == 5: return "+86-%s-%s" % (a, l)
        return int(a + l)
    if c == "uk":
        if t == "m":
            d = ph[2]
            if st == 0: return "0%s %s" % (d[:4], d[4:])
            if st == 1: return "0" + d
            if st == 2: return "+44 %s %s" % (d[:4], d[4:])
            if st == 3: return "+44" + d
            if st == 4: return "0%s %s %s" % (d[:4], d[4:7], d[7:])
            if st == 5: return "(0%s) %s" % (d[:4], d[4:])
            return int(d)
        a, l = ph[2], ph[3]
        if len(a) == 2:
            nat = "%s %s %s" % (a, l[:4], l[4:])
        elif len(a) == 3:
            nat = "%s %s %s" % (a, l[:3], l[3:])
        else:
            nat = "%s %s" % (a, l)
        if st == 0: return "0" + nat
        if st == 1: return "0" + a + l
        if st == 2: return "+44 " + nat
        if st == 3: return "(0%s) %s" % (a, nat[len(a) + 1:])
        if st == 4: return "+44 (0)" + nat
        if st == 5: return ("0" + nat).replace(" ", "-")
        return int(a + l)
    if c == "us":
        a, e, n = ph[2], ph[3], ph[4]
        if st == 0: return "(%s) %s-%s" % (a, e, n)
        if st == 1: return "%s-%s-%s" % (a, e, n)
        if st == 2: return "%s.%s.%s" % (a, e, n)
        if st == 3: return "+1 %s %s %s" % (a, e, n)
        if st == 4: return a + e + n
        if st == 5: return "1-%s-%s-%s" % (a, e, n)
        return int(a + e + n)
    if t == "m":
        d = ph[2]
        if st == 0: return "0%s %s %s" % (d[:3], d[3:6], d[6:])
        if st == 1: return "0" + d
        if st == 2: return "+61 %s %s %s" % (d[:3], d[3:6], d[6:])
        if st == 3: return "+61" + d
        if st == 4: return "0%s %s" % (d[:3], d[3:])
        if st == 5: return "0%s-%s-%s" % (d[:3], d[3:6], d[6:])
        return int(d)
    a, l = ph[2], ph[3]
    if st == 0: return "(0%s) %s %s" % (a, l[:4], l[4:])
    if st == 1: return "0%s %s %s" % (a, l[:4], l[4:])
    if st == 2: return "0" + a + l
    if st == 3: return "+61 %s %s %s" % (a, l[:4], l[4:])
    if st == 4: return "%s %s" % (l[:4], l[4:])
    if st == 5: return "0%s-%s-%s" % (a, l[:4], l[4:])
    return int(a + l)


def phone_typo(ph, r):
    """One digit wrong or missing in the subscriber part."""
    parts = list(ph)
    k = len(parts) - 1
    s = parts[k]
    lo = 3 if (ph[0] == "cn" and ph[1] == "m") else (2 if len(s) > 6 else 1)
    i = r.randrange(lo, len(s))
    if r.random() < 0.7:
        d = str((int(s[i]) + r.choice([1, 2, 3, 7, 8, 9])) % 10)
        s = s[:i] + d + s[i + 1:]
    else:
        s = s[:i] + s[i + 1:]
    parts[k] = s
    return tuple(parts)


def zh_sub(sub, style):
    if sub is None:
        return ""
    kind, name, a, b, c = sub[0], sub[1], sub[2], sub[3], sub[4] if len(sub) > 4 else 0
    if kind == "biz":
        fl, rm = a, b
        room = "%d%02d" % (fl, rm)
        if style == 0: return "%s%d层%s室" % (name, fl, room)
        if style == 1: return "%s%s室" % (name, room)
        return "%s%s" % (name, room)
    if style == 0: return "%s%d栋%d单元%d室" % (name, a, b, c)
    if style == 1: return "%s%d号楼%d单元%d" % (name, a, b, c)
    return "%s%d-%d-%d" % (name, a, b, c)


# address tuple layouts:
#  zh: ("zh", city_i, district, street, sub, sub_style, postcode, level)
#  uk: ("uk", city_i, unit, num, name, suffix_i, abbr, locality, postcode)
#  us: ("us", city_i, unit, num, dir_i, name, suffix_i, abbr, zip)
#  au: ("au", city_i, unit, num, name, suffix_i, abbr, suburb_i)

def _sfx(tab, i, abbr):
    full, ab = tab[i]
    return ab if (abbr and ab) else full


def addr_street(a):
    """Street part (no town / postcode)."""
    k = a[0]
    if k == "zh":
        return a[2] + a[3] + zh_sub(a[4], a[5])
    if k == "uk":
        st = "%d %s %s" % (a[3], a[4], _sfx(UK_SUFFIX, a[5], a[6]))
        return (a[2] + ", " + st) if a[2] else st
    if k == "us":
        d = a[4]
        dirs = "" if d < 0 else (US_DIRS[d][1] if a[7] else US_DIRS[d][0]) + " "
        st = "%d %s%s %s" % (a[3], dirs, a[5], _sfx(US_SUFFIX, a[6], a[7]))
        if a[5] == "Broadway":
            st = "%d %sBroadway" % (a[3], dirs)
        return (st + " " + a[2]) if a[2] else st
    st = "%d %s %s" % (a[3], a[4], _sfx(AU_SUFFIX, a[5], a[6]))
    if a[2]:
        if a[6] and a[2].startswith("Unit "):
            return a[2][5:] + "/" + st
        return a[2] + ", " + st
    return st


def addr_full(a, with_city=True):
    k = a[0]
    if k == "zh":
        c = ZH_CITIES[a[1]]
        lvl = a[7]
        pre = (c[1] if lvl == 0 else "") + (c[2] if lvl <= 1 else "")
        return pre + a[2] + a[3] + zh_sub(a[4], a[5])
    if not with_city:
        if k == "uk" and a[7]:
            return addr_street(a) + ", " + a[7]
        return addr_street(a)
    if k == "uk":
        t = UK_TOWNS[a[1]]
        parts = [addr_street(a)] + ([a[7]] if a[7] else []) + [t[0] + " " + a[8]]
        return ", ".join(parts)
    if k == "us":
        c = US_CITIES[a[1]]
        return "%s, %s, %s %s" % (addr_street(a), c[0], c[1], a[8])
    c = AU_CITIES[a[1]]
    sub, pc = G_AU_SUB[a[1]][a[7]]
    return "%s, %s %s %s" % (addr_street(a), sub.replace("-", " "), c[1], pc)


def addr_city(a, zh_style):
    k = a[0]
    if k == "zh":
        c = ZH_CITIES[a[1]]
        return c[2] if zh_style == 1 else (c[3] if zh_style == 2 else c[0])
    if k == "uk":
        return UK_TOWNS[a[1]][0]
    if k == "us":
        return US_CITIES[a[1]][0]
    return G_AU_SUB[a[1]][a[7]][0].replace("-", " ")


def addr_state(a):
    k = a[0]
    if k == "zh":
        c = ZH_CITIES[a[1]]
        return c[1] or c[2]
    if k == "uk":
        return UK_TOWNS[a[1]][1]
    if k == "us":
        return US_CITIES[a[1]][1]
    return AU_CITIES[a[1]][1]


def addr_postcode(a):
    k = a[0]
    if k == "zh":
        return a[6]
    if k == "uk" or k == "us":
        return a[8]
    return G_AU_SUB[a[1]][a[7]][1]


def addr_line2(a):
    if a[0] == "uk":
        return a[7] or None
    return None


G_AU_SUB = [[tuple(x.split(":")) for x in c[4].split()] for c in AU_CITIES]


def addr_abbrev(a, r, level_visible=True):
    """Return an abbreviated/expanded form of the same address, or None if nothing to change.
    level_visible: the sheet shows the whole Chinese address (so dropping 省/市 is visible)."""
    k = a[0]
    if k == "zh":
        opts = []
        if a[7] < 2 and level_visible:
            opts.append("lvl")
        if a[4] is not None and a[5] < 2:
            opts.append("sub")
        if not opts:
            return None
        o = r.choice(opts)
        if o == "lvl":
            return a[:7] + (min(2, a[7] + r.choice((1, 2))),)
        return a[:5] + (a[5] + 1,) + a[6:]
    if k == "uk":
        if UK_SUFFIX[a[5]][1]:
            return a[:6] + (1 - a[6],) + a[7:]
        if a[2].startswith("Flat "):
            return a[:2] + ("F" + a[2][5:],) + a[3:]
        return None
    if k == "us":
        if US_SUFFIX[a[6]][1] or a[4] >= 0:
            return a[:7] + (1 - a[7],) + a[8:]
        if a[2].startswith("Apt "):
            return a[:2] + ("Apartment " + a[2][4:],) + a[3:]
        return None
    if AU_SUFFIX[a[5]][1]:
        return a[:6] + (1 - a[6],) + a[7:]
    return None


def company_str(co):
    if co is None:
        return None
    if isinstance(co, str):
        return co
    if co[0] == "zh":
        return co[1] + co[2] + ZH_INDUSTRY[co[3]][0] + co[4]
    return co[1] + (" " + co[2] if co[2] else "")


def company_abbrev(co, r):
    full = company_str(co)
    if co[0] == "zh":
        city, zh, ind, suf = co[1], co[2], ZH_INDUSTRY[co[3]][0], co[4]
        opts = [zh + ind, zh, zh + ind + suf]
        if city:
            opts += [city + zh + ind, city + zh]
        opts = [o for o in opts if o != full]
        return r.choice(opts)
    core, suf = co[1], co[2]
    opts = []
    if suf in EN_CO_ABBR:
        opts.append(core + " " + EN_CO_ABBR[suf])
    if suf:
        opts.append(core)
    if " and " in core:
        opts.append(core.replace(" and ", " & ") + (" " + suf if suf else ""))
    if " & " in core:
        opts.append(core.replace(" & ", " and ") + (" " + suf if suf else ""))
    if core.endswith(" Group"):
        opts.append(core[:-6] + (" " + suf if suf else ""))
    words = core.split()
    if len(words) >= 3 and not suf:
        opts.append(" ".join(words[:2]))
    opts.append(full.upper())
    opts = [o for o in opts if o != full]
    return r.choice(opts)


def latin_typo(s, r):
    n = len(s)
    if n < 2:
        return s + s
    for _ in range(8):
        op = r.random()
        i = r.randrange(1, n) if r.random() < 0.95 else 0
        ch = s[i]
        if op < 0.3:
            t = s[:i] + s[i + 1:]
        elif op < 0.5:
            t = s[:i] + ch + s[i:]
        elif op < 0.75:
            if i >= n - 1:
                i = n - 2
            t = s[:i] + s[i + 1] + s[i] + s[i + 2:]
        else:
            lo = ch.lower()
            if lo not in KEYB:
                continue
            nb = r.choice(KEYB[lo])
            t = s[:i] + (nb.upper() if ch.isupper() else nb) + s[i + 1:]
        if t != s and t.strip():
            return t
    return s + s[-1]


def zh_name_typo(fam, giv, r):
    x = r.random()
    if x < 0.55:
        idx = list(range(len(giv)))
        r.shuffle(idx)
        for i in idx:
            py = ZH_PY.get(giv[i])
            alts = [c for c in HOMO.get(py, []) if c != giv[i]]
            if alts:
                return fam, giv[:i] + r.choice(alts) + giv[i + 1:]
    if x < 0.78:
        if len(giv) >= 2:
            i = r.randrange(len(giv))
            return fam, giv[:i] + giv[i + 1:]
        if r.random() < 0.5:
            return fam, giv + giv
        return fam, giv + r.choice(ZH_GF + ZH_GM)
    alts = ZH_SUR_TYPO.get(fam)
    if alts:
        return r.choice(alts), giv
    return fam, giv + giv


def one_col_name(s):
    if s.full is not None:
        return s.full
    if s.cul == "zh" and not s.latin:
        return s.fam + s.giv
    return s.giv + " " + s.fam


def case_space_one(txt, latin, r):
    if not txt:
        return txt
    if latin:
        x = r.random()
        if x < 0.3:
            t = txt.upper()
        elif x < 0.5:
            t = txt.lower()
        elif x < 0.7 and " " in txt:
            i = txt.rfind(" ")
            t = txt[:i] + txt[i:].upper()
        elif x < 0.85 and " " in txt:
            t = txt.replace(" ", "  ", 1)
        else:
            t = r.choice([" " + txt, txt + " ", txt + "  "])
        return t if t != txt else txt + " "
    x = r.random()
    if x < 0.7 and len(txt) >= 2:
        i = 1 if len(txt) <= 3 else r.choice((1, 2))
        return txt[:i] + r.choice([" ", " ", "  ", "\u3000"]) + txt[i:]
    return r.choice([txt + " ", " " + txt, txt + "  "])


# =============================================================================
# File layouts
# =============================================================================

class Table:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def templates():
    """Salespeople's sheets, CRM exports, an order log, a mailing list ... (file, sheets, columns)."""
    T = []
    add = lambda **kw: T.append(kw)
    # aff = affinity per culture [zh, uk, us, au]
    add(file="客户名单_张经理.xlsx", sheets=["客户名单"], fmt="xlsx", aff=[0.85, .05, .05, .05], w=1.5, split=False,
        title="2024年客户名单", total="合计", blank=True, datefmt="yyyy/m/d", date="cell", date_alt=("ymd_slash", .1),
        amount=("num", "cny", .12), phone_dom={"cn": 0}, zh_city=0,
        cols=[("序号", "seq"), ("客户姓名", "name"), ("手机", "phone"), ("单位", "company"), ("地址", "addr"),
              ("最近下单", "date"), ("金额", "amount"), ("备注", "notes")])
    add(file="Customer list - Tom.xlsx", sheets=["Customers"], fmt="xlsx", aff=[.15, .45, .2, .2], w=1.3, split=False,
        title="Customer list – Q3 2024", total="Total", blank=True, datefmt="dd/mm/yyyy", date="cell", date_alt=None,
        amount=("num", None, 0), phone_dom={}, zh_city=2,
        cols=[("Customer Name", "name"), ("Company", "company"), ("Phone", "phone"), ("Email", "email"),
              ("Address", "addr"), ("City", "city"), ("Postcode", "postcode"), ("Last Order", "date"),
              ("Amount", "amount"), ("Notes", "notes")])
    add(file="王丽-客户跟进表.xlsx", sheets=["Sheet1"], fmt="xlsx", aff=[.8, .07, .07, .06], w=1.2, split=True,
        title=None, total=None, blank=False, datefmt="yyyy-mm-dd", date="iso", date_alt=("cn", .15),
        amount=("num", "cny", .5), phone_dom={"cn": 1}, zh_city=0,
        cols=[("姓", "fam"), ("名", "giv"), ("性别", "sex"), ("手机号", "phone"), ("邮箱", "email"),
              ("公司名称", "company"), ("城市", "city"), ("详细地址", "addr"), ("负责人", "owner"),
              ("下单日期", "date"), ("金额", "amount")])
    add(file="Sarah_contacts.xlsx", sheets=["Contacts"], fmt="xlsx", aff=[.15, .15, .1, .6], w=1.0, split=True,
        title=None, total=None, blank=False, datefmt="dd/mm/yyyy", date=None, date_alt=None,
        amount=None, phone_dom={}, zh_city=2,
        cols=[("First Name", "giv"), ("Last Name", "fam"), ("Mobile", "phone"), ("Email", "email"),
              ("Company", "company"), ("Street Address", "addr1"), ("Suburb", "city"), ("State", "state"),
              ("Postcode", "postcode"), ("Notes", "notes")])
    add(file="华东区客户汇总.csv", sheets=None, fmt="csv-gbk", aff=[.9, .04, .03, .03], w=0.8, split=False,
        title="华东区客户汇总（截至2024年6月）", total=None, blank=False, datefmt=None, date="ymd_slash", date_alt=None,
        amount=("num", None, 0), phone_dom={"cn": 0}, zh_city=1,
        cols=[("客户编号", "custno"), ("客户姓名", "name"), ("联系电话", "phone"), ("公司名称", "company"),
              ("所在城市", "city"), ("详细地址", "addr"), ("邮编", "postcode"), ("业务员", "owner"),
              ("最近下单", "date"), ("累计金额", "amount")])
    add(file="website_signups.csv", sheets=None, fmt="csv-bom", aff=[.35, .25, .2, .2], w=1.0, split=True,
        title=None, total=None, blank=False, datefmt=None, date="iso_time", date_alt=None,
        amount=None, phone_dom={"cn": 3, "uk": 2, "au": 2, "us": 3}, zh_city=2,
        cols=[("Signup Date", "date"), ("Last Name", "fam"), ("First Name", "giv"), ("E-mail Address", "email"),
              ("Phone", "phone"), ("City", "city"), ("Country", "country")])
    add(file="老客户（旧表）.xlsx", sheets=["2022", "2023"], fmt="xlsx", aff=[.9, .04, .03, .03], w=1.0, split=False,
        title=None, total=None, blank=True, datefmt="yyyy/m/d", date=None, date_alt=None, extra_sheet=True,
        amount=("int", None, 0), phone_dom={"cn": 6, "uk": 6, "us": 6, "au": 6}, zh_city=0,
        cols=[("姓名", "name"), ("手机", "mobile"), ("电话", "land"), ("地址", "addr"), ("身份证号", "idno"),
              ("金额", "amount"), ("备注", "notes")])
    add(file="US orders.csv", sheets=None, fmt="csv", aff=[.12, .08, .7, .1], w=0.8, split=False, orderlog=True,
        title=None, total=None, blank=False, datefmt=None, date="mdy", date_alt=None,
        amount=("usd", None, 0), phone_dom={"us": 0}, zh_city=2,
        cols=[("Order Date", "date"), ("Full Name", "name"), ("Company", "company"), ("Tel", "phone"),
              ("Email", "email"), ("Address", "addr1"), ("City", "city"), ("State", "state"), ("Zip", "postcode"),
              ("Amount", "amount")])
    add(file="展会名片录入.xlsx", sheets=["名片"], fmt="xlsx", aff=[.6, .15, .1, .15], w=0.8, split=True,
        title=None, total=None, blank=False, datefmt="yyyy/m/d", date=None, date_alt=None,
        amount=None, phone_dom={"cn": 2}, zh_city=0,
        cols=[("姓氏", "fam"), ("名字", "giv"), ("Company", "company"), ("Mobile", "mobile"), ("座机", "land"),
              ("Email", "email"), ("地址", "addr"), ("备注", "notes")])
    add(file="Mailing list UK.xlsx", sheets=["Mailing"], fmt="xlsx", aff=[.1, .8, .05, .05], w=0.8, split=True,
        title=None, total=None, blank=False, datefmt="dd/mm/yyyy", date=None, date_alt=None,
        amount=None, phone_dom={}, zh_city=2,
        cols=[("Title", "title"), ("Given Name", "giv"), ("Surname", "fam"), ("Address Line 1", "addr1"),
              ("Address Line 2", "addr2"), ("Town", "city"), ("County", "state"), ("Postcode", "postcode"),
              ("E-mail Address", "email")])
    add(file="2023客户.xlsx", sheets=["上半年", "下半年"], fmt="xlsx", aff=[.85, .05, .05, .05], w=1.0, split=True,
        title="2023年客户登记表", total="合计", blank=False, datefmt="yyyy/m/d", date=None, date_alt=None,
        amount=("num", "yuan", .15), phone_dom={"cn": 0}, zh_city=0,
        cols=[("序号", "seq"), ("姓", "fam"), ("名", "giv"), ("联系电话", "phone"), ("单位", "company"),
              ("地址", "addr"), ("金额", "amount"), ("备注", "notes")])
    add(file="Contacts (AU office).xlsx", sheets=["Sheet1"], fmt="xlsx", aff=[.15, .05, .05, .75], w=0.8, split=False,
        title=None, total=None, blank=False, datefmt="dd/mm/yyyy", date=None, date_alt=None,
        amount=None, phone_dom={"au": 0}, zh_city=2,
        cols=[("Contact", "name"), ("Organisation", "company"), ("Phone", "phone"), ("Email", "email"),
              ("Street Address", "addr1"), ("Suburb", "city"), ("State", "state"), ("Postcode", "postcode"),
              ("Sales Rep", "owner")])
    add(file="VIP客户.xlsx", sheets=["VIP"], fmt="xlsx", aff=[.5, .2, .15, .15], w=0.6, split=False,
        title=None, total=None, blank=False, datefmt="yyyy/m/d", date=None, date_alt=None,
        amount=("num", None, 0), phone_dom={}, zh_city=0,
        cols=[("Name", "name"), ("手机", "phone"), ("Email", "email"), ("公司 Company", "company"),
              ("地址 Address", "addr"), ("Owner", "owner"), ("金额", "amount")])
    add(file="微信客户登记.xlsx", sheets=["Sheet1"], fmt="xlsx", aff=[.95, .02, .01, .02], w=0.6, split=False,
        title=None, total=None, blank=False, datefmt="yyyy/m/d", date="cn", date_alt=None,
        amount=None, phone_dom={"cn": 0}, zh_city=1,
        cols=[("联系人", "name"), ("手机号码", "phone"), ("城市", "city"), ("地址", "addr"), ("备注", "notes"),
              ("登记日期", "date")])
    add(file="customers_2022_old.csv", sheets=None, fmt="csv", aff=[.4, .25, .1, .25], w=0.8, split=True,
        title=None, total=None, blank=False, datefmt=None, date="dmon", date_alt=None,
        amount=("num", None, 0), phone_dom={}, zh_city=2,
        cols=[("Customer No", "custno"), ("Family Name", "fam"), ("Given Name", "giv"), ("Phone", "phone"),
              ("Email", "email"), ("Company", "company"), ("Address", "addr"), ("Last Purchase", "date"),
              ("Total Spend", "amount")])
    big = [
        dict(file="crm_contacts_export.xlsx", sheets=["Export"], fmt="xlsx", aff=[.5, .5, .5, .5], w=1, split=True,
             title=None, total=None, blank=False, datefmt="yyyy-mm-dd", date="cell", date_alt=None, big=True,
             amount=None, phone_dom={"cn": 3, "uk": 2, "us": 3, "au": 2}, zh_city=2,
             cols=[("Contact ID", "custno"), ("Salutation", "title"), ("First Name", "giv"), ("Last Name", "fam"),
                   ("Account Name", "company"), ("Mobile", "mobile"), ("Phone", "land"), ("Email", "email"),
                   ("Mailing Street", "addr1"), ("Mailing City", "city"), ("Mailing State/Province", "state"),
                   ("Mailing Zip/Postal Code", "postcode"), ("Contact Owner", "owner"), ("Created Date", "date")]),
        dict(file="客户总表.xlsx", sheets=["总表"], fmt="xlsx", aff=[.5, .5, .5, .5], w=1, split=False,
             title=None, total=None, blank=False, datefmt="yyyy/m/d", date="cell", date_alt=None, big=True,
             amount=("num", None, 0), phone_dom={"cn": 0}, zh_city=0,
             cols=[("客户编号", "custno"), ("客户姓名", "name"), ("手机", "phone"), ("邮箱", "email"),
                   ("公司名称", "company"), ("城市", "city"), ("地址", "addr"), ("负责人", "owner"),
                   ("最近下单", "date"), ("金额", "amount")]),
    ]
    return T, big


def build_tables(N, rng):
    small, big = templates()
    n_small = int(min(len(small), max(6, 6 + round(2 * math.log2(max(N, 1000) / 1000)))))
    prio = ["客户名单_张经理.xlsx", "Customer list - Tom.xlsx", "王丽-客户跟进表.xlsx", "Sarah_contacts.xlsx",
            "华东区客户汇总.csv", "website_signups.csv", "2023客户.xlsx", "US orders.csv", "老客户（旧表）.xlsx",
            "展会名片录入.xlsx", "Mailing list UK.xlsx", "Contacts (AU office).xlsx", "VIP客户.xlsx",
            "微信客户登记.xlsx", "customers_2022_old.csv"]
    small.sort(key=lambda sp: prio.index(sp["file"]))
    chosen = small[:n_small]
    share_big = 0.0 if N < 20000 else min(0.8, 0.3 + 0.35 * math.log10(N / 20000))
    specs = chosen + (big if share_big > 0 else [])
    tables = []
    for sp in specs:
        sheets = sp["sheets"] or [os.path.splitext(sp["file"])[0]]
        for si, sh in enumerate(sheets):
            t = Table(**sp)
            t.sheet = sh
            t.sheet_i = si
            t.w = sp["w"] / len(sheets)
            t.big = sp.get("big", False)
            t.orderlog = sp.get("orderlog", False)
            t.extra_sheet = sp.get("extra_sheet", False)
            fields = [f for _, f in t.cols]
            t.fields = fields
            t.two_phone = "mobile" in fields and "land" in fields
            t.has_phone = any(f in fields for f in ("phone", "mobile", "land"))
            t.has_email = "email" in fields
            t.has_company = "company" in fields
            t.has_addr = any(f in fields for f in ("addr", "addr1"))
            t.addr_with_city = not any(f in fields for f in ("city", "postcode", "state"))
            t.name_pair = [f for f in fields if f in ("fam", "giv")]
            tables.append(t)
    tables.sort(key=lambda t: (t.file, t.sheet_i))
    # per-table phone styles (each salesperson writes numbers their own way)
    for t in tables:
        t.dom = {}
        for c in ("cn", "uk", "us", "au"):
            if c in t.phone_dom:
                t.dom[c] = t.phone_dom[c]
            else:
                t.dom[c] = int(rng.choice(6, p=[0.4, 0.2, 0.15, 0.1, 0.1, 0.05]))
        t.owners = (OWNERS_ZH if any("\u4e00" <= ch <= "\u9fff" for ch in t.cols[0][0] + t.file) else OWNERS_EN)
        t.owners = list(rng.choice(t.owners, size=int(rng.integers(1, 4)) if not t.big else 6, replace=False))
    return tables, share_big


# =============================================================================
# Main generation
# =============================================================================

P_CLEAN = 0.46
# targets: fraction of all duplicate rows (split-file kinds: of duplicate rows in split files)
TARGET = {"name-typo": 0.25, "name-variant": 0.08, "name-swapped": 0.065, "name-one-column": 0.065,
          "case-space": 0.10, "phone-missing": 0.10, "email-missing": 0.10, "phone-typo": 0.032,
          "email-typo": 0.036, "company-abbrev": 0.08, "address-abbrev": 0.115, "moved": 0.05,
          "new-phone": 0.034, "new-email": 0.036}
INJECT = list(TARGET)


def entity_sizes(N, rng):
    d = 0.177  # fraction of people who appear more than once -> ~20% of rows are 2nd+ occurrences
    E_est = int(N / (1 + d * 1.41) * 1.08) + 20
    while True:
        sz = np.ones(E_est, dtype=np.int64)
        dup = rng.random(E_est) < d
        sz[dup] = rng.choice([2, 3, 4, 5], size=int(dup.sum()), p=[0.72, 0.18, 0.07, 0.03])
        cs = np.cumsum(sz)
        if cs[-1] >= N:
            break
        E_est = int(E_est * 1.2)
    E = int(np.searchsorted(cs, N)) + 1
    sz = sz[:E]
    sz[-1] -= cs[E - 1] - N
    return sz


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, required=True, help="total customer data rows over all files")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True, help="output folder (truth goes to OUT/../OUTNAME.truth.csv)")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    N = a.rows
    if N < 100:
        ap.error("--rows must be >= 100")
    t0 = time.time()
    log = (lambda *x: None) if a.quiet else (lambda *x: print(*x, file=sys.stderr, flush=True))
    out = os.path.abspath(a.out)
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):
        if f.lower().endswith((".xlsx", ".csv")):
            os.remove(os.path.join(out, f))
    truth_path = os.path.join(os.path.dirname(out), os.path.basename(out) + ".truth.csv")

    g = Gen(a.seed)
    rng, r = g.rng, g.r
    sizes = entity_sizes(N, rng)
    E = len(sizes)
    people, cul_e, pstats = make_people(g, E)
    log("people: %d (%.1fs) %s" % (E, time.time() - t0, dict(pstats)))

    tables, share_big = build_tables(N, rng)
    T = len(tables)
    # ---- occurrences ----
    occ_e = np.repeat(np.arange(E), sizes)
    first = np.cumsum(sizes) - sizes
    occ_j = np.arange(N) - np.repeat(first, sizes)
    occ_c = cul_e[occ_e]
    clean = (occ_j > 0) & (rng.random(N) < P_CLEAN)
    w = np.array([t.w for t in tables])
    aff = np.array([t.aff for t in tables])          # T x 4
    isbig = np.array([t.big for t in tables])
    tab = np.empty(N, dtype=np.int64)
    small_p = (w[:, None] * aff) * (~isbig)[:, None]
    small_p = small_p / small_p.sum(axis=0, keepdims=True)   # P(table | culture) among small tables
    ub = rng.random(N)
    us = rng.random(N)
    for c in range(4):
        m = occ_c == c
        cw = np.cumsum(small_p[:, c])
        tab[m] = np.minimum(np.searchsorted(cw, us[m] * cw[-1], side="right"), T - 1)
    if share_big > 0:
        bi = np.flatnonzero(isbig)
        mb = ub < share_big
        tab[mb] = bi[(us[mb] * 1e6).astype(np.int64) % len(bi)]
    # repeats: same sheet as the first occurrence (repeat orders, re-entered customers) or elsewhere
    p_same = np.where(clean, 0.7, 0.12)
    same = (occ_j > 0) & (rng.random(N) < p_same)
    tab[same] = tab[first[occ_e[same]]]
    tab_cnt = np.bincount(tab, minlength=T)
    log("table sizes:", {f"{t.file}:{t.sheet}": int(n) for t, n in zip(tables, tab_cnt)})

    # ---- row positions ----
    key = rng.random(N)
    perm = np.lexsort((key, tab))              # rows in table order
    starts = np.concatenate([[0], np.cumsum(tab_cnt)])
    pos = np.empty(N, dtype=np.int64)
    pos[perm] = np.arange(N) - starts[tab[perm]]
    rowno = np.empty(N, dtype=np.int64)       # 1-based row number as the sheet shows it
    blank_after = {}
    for ti, t in enumerate(tables):
        idx = perm[starts[ti]:starts[ti + 1]]
        n = len(idx)
        t.header_row = 3 if t.title else 1          # 1-based
        first_data = t.header_row + 1
        if t.blank and n > 20:
            b = rng.random(n) < 0.004
            b[0] = False
            nb = np.cumsum(b)
            t.blank_before = b
        else:
            nb = np.zeros(n, dtype=np.int64)
            t.blank_before = None
        rowno[idx] = first_data + np.arange(n) + nb
        t.n = n
    gkey = np.arange(T)[tab] * (1 << 22) + rowno
    # canonical = first occurrence in (file name, sheet, row) order
    mink = np.minimum.reduceat(gkey, first)
    is_canon = gkey == np.repeat(mink, sizes)
    canon_occ = np.flatnonzero(is_canon)
    assert len(canon_occ) == E
    fix = canon_occ != first
    fo, co = first[fix], canon_occ[fix]
    clean[fo] = clean[co]
    clean[co] = False
    dup = ~is_canon
    same_tab = tab == tab[canon_occ[occ_e]]

    # ---- draw error kinds for non-clean duplicate rows ----
    tf = lambda attr: np.array([getattr(t, attr) for t in tables])
    split_t, phone_t, email_t, comp_t, addr_t = (tf(x) for x in ("split", "has_phone", "has_email", "has_company", "has_addr"))
    has_phone_e = np.array([p.primary is not None for p in people])
    has_email_e = np.array([p.email is not None for p in people])
    has_comp_e = np.array([p.company is not None for p in people])
    var_ok_e = np.array([p.cul == "zh" or p.giv in NICK or p.fam in SURVAR for p in people])
    D = np.flatnonzero(dup)
    nd = len(D)
    eD, tD = occ_e[D], tab[D]
    app = {
        "name-typo": np.ones(nd, bool), "case-space": np.ones(nd, bool), "name-variant": var_ok_e[eD],
        "name-swapped": split_t[tD], "name-one-column": split_t[tD],
        "phone-missing": phone_t[tD] & has_phone_e[eD], "phone-typo": phone_t[tD] & has_phone_e[eD],
        "new-phone": phone_t[tD] & has_phone_e[eD],
        "email-missing": email_t[tD] & has_email_e[eD], "email-typo": email_t[tD] & has_email_e[eD],
        "new-email": email_t[tD] & has_email_e[eD],
        "company-abbrev": comp_t[tD] & has_comp_e[eD], "address-abbrev": addr_t[tD], "moved": addr_t[tD],
    }
    cleanD = clean[D]
    nc = ~cleanD
    frac_nc = max(nc.mean(), 1e-9)
    target = dict(TARGET)
    draws = None
    for it in range(2):
        draws = {}
        for k in INJECT:
            am = app[k]
            if k in ("name-swapped", "name-one-column"):
                p = target[k] / frac_nc          # of duplicate rows in split files
            else:
                af = max(am.mean(), 1e-9)
                p = target[k] / (frac_nc * af)
            p = min(p, 0.9)
            draws[k] = nc & am & (rng.random(nd) < p)
        anyk = np.zeros(nd, bool)
        for k in INJECT:
            anyk |= draws[k]
        none = nc & ~anyk
        if it == 0:
            # rows drawing nothing get one forced kind; lower the base rate of those kinds to compensate
            f = none.mean()
            target["name-typo"] = max(0.02, TARGET["name-typo"] - f * 0.5)
            target["case-space"] = max(0.02, TARGET["case-space"] - f * 0.3)
            target["name-variant"] = max(0.01, TARGET["name-variant"] - f * 0.2 * app["name-variant"].mean())
    forced = rng.choice(3, size=nd, p=[0.5, 0.3, 0.2])
    for fi, k in enumerate(("name-typo", "case-space", "name-variant")):
        m = none & (forced == fi) & app[k]
        draws[k] |= m
    still = none & ~(draws["name-typo"] | draws["case-space"] | draws["name-variant"])
    draws["name-typo"] |= still
    # exclusivity
    draws["phone-typo"] &= ~draws["phone-missing"]
    draws["new-phone"] &= ~(draws["phone-missing"] | draws["phone-typo"])
    draws["email-typo"] &= ~draws["email-missing"]
    draws["new-email"] &= ~(draws["email-missing"] | draws["email-typo"])
    draws["name-one-column"] &= ~draws["name-swapped"]
    # at most two name-related changes on one row
    nk = ("name-typo", "name-variant", "name-swapped", "name-one-column", "case-space")
    cnt = sum(draws[k].astype(np.int64) for k in nk)
    for j in np.flatnonzero(cnt > 2):
        have = [k for k in nk if draws[k][j]]
        r.shuffle(have)
        for k in have[2:]:
            draws[k][j] = False
    # at most four injected differences on one row
    cnt = sum(draws[k].astype(np.int64) for k in INJECT)
    for j in np.flatnonzero(cnt > 4):
        have = [k for k in INJECT if draws[k][j]]
        r.shuffle(have)
        for k in have[4:]:
            draws[k][j] = False
    kind_bits = np.zeros(nd, dtype=np.int64)
    for k in INJECT:
        kind_bits |= draws[k].astype(np.int64) << KIND_IDX[k]

    # ---- build per-row variants ----
    variants = {}
    vkinds = {}
    for j in np.flatnonzero(kind_bits):
        o = int(D[j])
        bits = int(kind_bits[j])
        p = people[occ_e[o]]
        t = tables[tD[j]]
        v = p.copy()
        ks = []
        has = lambda k: bits >> KIND_IDX[k] & 1
        if has("moved"):
            newcity = p.city_i if r.random() < 0.5 else g.city_for(p.cul)
            v.addr = g.address(p.cul, newcity)
            v.city_i = newcity
            if v.land is not None:
                v.land = g.landline(p.cul, newcity)
            if v.mobile is not None and r.random() < 0.3:
                v.mobile = g.mobile(p.cul)
            ks.append("moved")
        if has("new-phone"):
            if v.primary == "l" and not t.two_phone:
                v.land = g.landline(p.cul, v.city_i)
            else:
                v.mobile = g.mobile(p.cul)
                if v.primary is None:
                    v.primary = "m"
            ks.append("new-phone")
        if has("phone-typo"):
            if v.primary == "l" and not t.two_phone:
                v.land = phone_typo(v.land, r)
            elif v.mobile is not None:
                v.mobile = phone_typo(v.mobile, r)
            else:
                v.land = phone_typo(v.land, r)
            ks.append("phone-typo")
        if has("phone-missing"):
            if t.two_phone:
                if v.mobile is not None:
                    v.mobile = None
                else:
                    v.land = None
            else:
                v.primary = None
            ks.append("phone-missing")
        if has("new-email"):
            for _ in range(5):
                ne = g.email_for(v)
                if ne != p.email:
                    break
            v.email = ne
            ks.append("new-email")
        if has("email-typo"):
            loc, _, dom = p.email.partition("@")
            if dom in EMAIL_TYPO_DOMAIN and r.random() < 0.6:
                v.email = loc + "@" + r.choice(EMAIL_TYPO_DOMAIN[dom])
            else:
                v.email = latin_typo(loc, r) + "@" + dom
            if v.email != p.email:
                ks.append("email-typo")
        if has("email-missing"):
            v.email = None
            ks.append("email-missing")
        if has("company-abbrev"):
            v.company = company_abbrev(p.company, r)
            ks.append("company-abbrev")
        if has("address-abbrev") and not has("moved"):
            na = addr_abbrev(v.addr, r, "addr" in t.fields)
            if na is not None:
                v.addr = na
                ks.append("address-abbrev")
        if has("name-variant"):
            if p.cul == "zh":
                v.latin = True
                x = r.random()
                fam_l = ZH_SUR_ALT.get(p.fam, p.fpy.capitalize()) if r.random() < 0.15 else p.fpy.capitalize()
                if p.eng and x < 0.45:
                    v.fam, v.giv = fam_l, p.eng
                else:
                    v.fam, v.giv = fam_l, p.gpy.capitalize()
                    y = r.random()
                    if y < 0.45:
                        v.full = v.fam + " " + v.giv
                    elif y < 0.6:
                        v.full = v.fam.upper() + " " + v.giv
            else:
                if p.giv in NICK and (p.fam not in SURVAR or r.random() < 0.8):
                    v.giv = r.choice(NICK[p.giv])
                else:
                    v.fam = r.choice(SURVAR[p.fam])
            ks.append("name-variant")
        if has("name-typo"):
            if v.latin or p.cul != "zh":
                if r.random() < 0.5:
                    v.giv = latin_typo(v.giv, r)
                else:
                    v.fam = latin_typo(v.fam, r)
                if v.full is not None:
                    v.full = None if not v.latin else v.fam + " " + v.giv
            else:
                v.fam, v.giv = zh_name_typo(v.fam, v.giv, r)
            ks.append("name-typo")
        if has("name-swapped") and t.split:
            v.nform = "swap"
            ks.append("name-swapped")
        elif has("name-one-column") and t.split:
            v.nform = "one"
            ks.append("name-one-column")
        if has("case-space"):
            v.cs = r.random()
            ks.append("case-space")
        variants[o] = v
        vkinds[o] = ks

    # ---- render & write ----
    dup_e = sizes > 1
    canon_ph = {}     # entity -> {phone tuple: rendered str}
    canon_style = {}  # entity -> style dict used on its first row
    base = dt.date(2019, 1, 1).toordinal()
    kind_count = Counter()
    table_rows = Counter()
    split_rows = 0
    with open(truth_path, "w", newline="", encoding="utf-8") as tfh:
        tw = csv.writer(tfh)
        tw.writerow(["file", "sheet", "row", "entity_id", "kinds"])
        files = {}
        for ti, t in enumerate(tables):
            files.setdefault(t.file, []).append(ti)
        for fname, tis in files.items():
            sheets_out = []
            for ti in tis:
                t = tables[ti]
                idx = perm[starts[ti]:starts[ti + 1]]
                rows = render_table(t, idx, occ_e, people, variants, vkinds, is_canon, clean, same_tab, dup_e,
                                    canon_ph, canon_style, r, rng, base, tw, kind_count, rowno)
                table_rows[fname] += t.n
                if t.split:
                    split_rows += t.n
                sheets_out.append((t, rows))
            write_file(out, fname, sheets_out)
            log("wrote %s (%d rows) %.1fs" % (fname, sum(tt.n for tt, _ in sheets_out), time.time() - t0))
    nd_rows = int(dup.sum())
    log("rows=%d entities=%d dup_rows=%d (%.1f%%) split-name rows=%.1f%%" %
        (N, E, nd_rows, 100 * nd_rows / N, 100 * split_rows / N))
    log("kinds (count, %% of dup rows):")
    for k in KIND_ORDER:
        log("  %-16s %8d  %5.1f%%" % (k, kind_count[k], 100 * kind_count[k] / max(nd_rows, 1)))
    log("truth: %s   total %.1fs" % (truth_path, time.time() - t0))


# =============================================================================
# Rendering a table
# =============================================================================

COUNTRY_NAMES = {"zh": ["China", "中国", "CN", "PRC", "China"], "uk": ["United Kingdom", "UK", "U.K.", "GB", "UK"],
                 "us": ["United States", "USA", "US", "United States"], "au": ["Australia", "AU", "Australia"]}


def fmt_date(days, f, base):
    d = dt.date.fromordinal(base + days)
    if f == "cell":
        return d
    if f == "iso":
        return d.isoformat()
    if f == "ymd_slash":
        return "%d/%d/%d" % (d.year, d.month, d.day)
    if f == "dmy":
        return "%02d/%02d/%d" % (d.day, d.month, d.year)
    if f == "mdy":
        return "%d/%d/%d" % (d.month, d.day, d.year)
    if f == "cn":
        return "%d年%d月%d日" % (d.year, d.month, d.day)
    if f == "dmon":
        return "%d %s %d" % (d.day, MON[d.month], d.year)
    if f == "dot":
        return "%d.%02d.%02d" % (d.year, d.month, d.day)
    if f == "iso_time":
        return "%s %02d:%02d" % (d.isoformat(), (days * 7) % 24, (days * 13) % 60)
    return d.isoformat()


def fmt_amount(x, f):
    if f == "num":
        return round(x, 2)
    if f == "int":
        return int(round(x))
    if f == "cny":
        return "¥{:,.2f}".format(x)
    if f == "yuan":
        return "%d元" % round(x)
    if f == "usd":
        return "${:,.2f}".format(x)
    if f == "gbp":
        return "£{:,.2f}".format(x)
    return round(x, 2)


def id_number(p, r):
    c = ZH_CITIES[p.city_i]
    pre = c[8] + "%02d" % r.randrange(1, 12)
    y = r.randrange(1955, 2003)
    m = r.randrange(1, 13)
    d = r.randrange(1, 29)
    seq = r.randrange(0, 500) * 2 + (1 if p.sex == "M" else 0)
    s = "%s%04d%02d%02d%03d" % (pre, y, m, d, seq)
    wts = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    chk = "10X98765432"[sum(int(a) * b for a, b in zip(s, wts)) % 11]
    return s + chk


def render_table(t, idx, occ_e, people, variants, vkinds, is_canon, clean, same_tab, dup_e,
                 canon_ph, canon_style, r, rng, base, tw, kind_count, rowno):
    n = len(idx)
    fields = t.fields
    csv_mode = t.fmt.startswith("csv")
    gbk = t.fmt == "csv-gbk"
    dom = t.dom
    days = rng.integers(0, 2370, size=n)
    amts = np.round(np.exp(rng.normal(6.5, 1.0, size=n)), 2)
    owners = t.owners
    cust_base = int(rng.integers(1000, 50000))
    zh_file = any("\u4e00" <= ch <= "\u9fff" for ch in t.file)
    cust_fmt = "%d"
    for h, f in t.cols:
        if f == "custno":
            cust_fmt = {"客户编号": "KH%06d", "Contact ID": "003%09d", "Customer No": "C%05d"}.get(h, "%d")
    zh_city = t.zh_city
    rows = []
    total = 0.0
    fname = t.file
    sheet = t.sheet
    name_pair = t.name_pair
    famcol_first = bool(name_pair) and name_pair[0] == "fam"
    date_f = t.date
    date_alt = t.date_alt
    amount = t.amount
    if csv_mode and date_f == "cell":
        date_f = "iso"
    blank_before = t.blank_before
    seq = 0
    for i in range(n):
        o = int(idx[i])
        e = int(occ_e[o])
        if blank_before is not None and blank_before[i]:
            rows.append(None)
        v = variants.get(o)
        canon = bool(is_canon[o])
        s = v if v is not None else people[e]
        # phone styles for this row
        if (not canon) and clean[o] and same_tab[o] and e in canon_style:
            sty = canon_style[e]         # copy-pasted repeat row
        else:
            sty = None
        phone_vals = []

        def ph_render(ph):
            if ph is None:
                return None
            c = ph[0]
            if sty is not None and c in sty:
                st = sty[c]
            else:
                st = dom[c] if r.random() < 0.92 else r.randrange(6)
            val = fmt_phone(ph, st)
            phone_vals.append((ph, val, c, st))
            return val

        rec = []
        seq += 1
        # names
        nf = s.nform
        cs = s.cs
        latin = s.latin or s.cul != "zh"
        for f in fields:
            if f == "name":
                txt = one_col_name(s)
                if cs is not None:
                    txt = case_space_one(txt, latin, r)
                rec.append(txt)
            elif f == "fam" or f == "giv":
                if nf == "one":
                    if (f == "fam") == famcol_first:
                        txt = one_col_name(s)
                        if cs is not None:
                            txt = case_space_one(txt, latin, r)
                        rec.append(txt)
                    else:
                        rec.append(None)
                    continue
                want_fam = (f == "fam") != (nf == "swap")
                txt = s.fam if want_fam else s.giv
                if cs is not None:
                    # apply case/space change to one column (or both for upper/lower)
                    if latin and cs < 0.35:
                        txt = txt.upper()
                    elif latin and cs < 0.5:
                        txt = txt.lower()
                    elif (cs < 0.75) == want_fam:
                        if not latin and len(txt) >= 2 and r.random() < 0.5:
                            txt = txt[0] + " " + txt[1:]
                        else:
                            txt = r.choice([txt + " ", " " + txt, txt + "  "])
                rec.append(txt)
            elif f == "phone":
                pr = s.primary
                rec.append(ph_render(s.land if pr == "l" else (s.mobile if pr == "m" else None)))
            elif f == "mobile":
                if t.two_phone:
                    rec.append(ph_render(s.mobile))
                else:
                    pr = s.primary
                    rec.append(ph_render(s.land if pr == "l" else (s.mobile if pr == "m" else None)))
            elif f == "land":
                rec.append(ph_render(s.land))
            elif f == "email":
                rec.append(s.email)
            elif f == "company":
                rec.append(company_str(s.company))
            elif f == "addr":
                rec.append(addr_full(s.addr, t.addr_with_city))
            elif f == "addr1":
                rec.append(addr_street(s.addr))
            elif f == "addr2":
                rec.append(addr_line2(s.addr))
            elif f == "city":
                rec.append(addr_city(s.addr, zh_city))
            elif f == "state":
                rec.append(addr_state(s.addr) or None)
            elif f == "postcode":
                rec.append(addr_postcode(s.addr))
            elif f == "seq":
                rec.append(seq)
            elif f == "custno":
                rec.append(cust_fmt % (cust_base + i) if cust_fmt != "%d" else cust_base + i)
            elif f == "owner":
                rec.append(owners[r.randrange(len(owners))] if len(owners) > 1 else owners[0])
            elif f == "date":
                df = date_f
                if date_alt and r.random() < date_alt[1]:
                    df = date_alt[0]
                rec.append(fmt_date(int(days[i]), df, base))
            elif f == "amount":
                x = float(amts[i])
                af = amount[0]
                if amount[1] and r.random() < amount[2]:
                    af = amount[1]
                val = fmt_amount(x, af)
                if not isinstance(val, str):
                    total += val
                rec.append(val)
            elif f == "notes":
                if s.cul == "zh" or zh_file:
                    rec.append(NOTES_ZH[r.randrange(len(NOTES_ZH))] if r.random() < 0.15 else None)
                else:
                    rec.append(NOTES_EN[r.randrange(len(NOTES_EN))] if r.random() < 0.15 else None)
            elif f == "sex":
                rec.append("男" if s.sex == "M" else "女")
            elif f == "title":
                if s.cul == "zh":
                    rec.append(("Mr" if s.sex == "M" else "Ms") if r.random() < 0.8 else None)
                else:
                    rec.append(s.title)
            elif f == "country":
                rec.append(r.choice(COUNTRY_NAMES[s.cul]))
            elif f == "idno":
                if s.cul == "zh" and r.random() < 0.4:
                    p = people[e]
                    if p.idno is None:
                        p.idno = id_number(p, r)
                    rec.append(p.idno)
                else:
                    rec.append(None)
            else:
                rec.append(None)
        # ---- truth ----
        if canon:
            kinds = ""
            if dup_e[e]:
                canon_ph[e] = {ph: str(val) for ph, val, _, _ in phone_vals}
                canon_style[e] = {c: st for _, _, c, st in phone_vals}
        else:
            ks = list(vkinds.get(o, ()))
            cp = canon_ph.get(e)
            if cp:
                for ph, val, _, _ in phone_vals:
                    cv = cp.get(ph)
                    if cv is not None and cv != str(val):
                        ks.append("phone-format")
                        break
            if not ks:
                ks = ["exact"]
            ks.sort(key=KIND_IDX.__getitem__)
            for k in ks:
                kind_count[k] += 1
            kinds = ";".join(ks)
        tw.writerow([fname, sheet, int(rowno[o]), e, kinds])
        rows.append(rec)
    if t.total and t.amount:
        tot = [None] * len(fields)
        tot[0] = t.total
        tot[fields.index("amount")] = round(total, 2)
        rows.append(tot)
    return rows


def write_file(out, fname, sheets_out):
    path = os.path.join(out, fname)
    if fname.endswith(".csv"):
        t, rows = sheets_out[0]
        enc = {"csv": "utf-8", "csv-bom": "utf-8-sig", "csv-gbk": "gbk"}[t.fmt]
        with open(path, "w", newline="", encoding=enc, errors="replace") as fh:
            wr = csv.writer(fh, lineterminator="\r\n")
            ncol = len(t.cols)
            if t.title:
                wr.writerow([t.title] + [""] * (ncol - 1))
                wr.writerow([""] * ncol)
            wr.writerow([h for h, _ in t.cols])
            for rec in rows:
                if rec is None:
                    wr.writerow([""] * ncol)
                else:
                    wr.writerow(["" if x is None else x for x in rec])
        return
    if sum(tt.n for tt, _ in sheets_out) > 50000:
        _write_xlsx_fast(path, sheets_out)
    else:
        _write_xlsx(path, sheets_out)


def _write_xlsx(path, sheets_out):
    """Small/medium workbooks: xlsxwriter, shared strings, like Excel saves them."""
    import xlsxwriter
    wb = xlsxwriter.Workbook(path)
    bold = wb.add_format({"bold": True})
    tfmt = wb.add_format({"bold": True, "font_size": 14, "align": "center"})
    dfmt = wb.add_format({"num_format": sheets_out[0][0].datefmt or "yyyy-mm-dd"})
    for t, rows in sheets_out:
        ws = wb.add_worksheet(t.sheet)
        ncol = len(t.cols)
        r0 = 0
        if t.title:
            ws.merge_range(0, 0, 0, ncol - 1, t.title, tfmt)
            r0 = 2
        for j, (h, f) in enumerate(t.cols):
            ws.write_string(r0, j, h, bold)
            ws.set_column(j, j, {"addr": 40, "addr1": 30, "company": 26, "email": 26, "notes": 16}.get(f, 13))
        ri = r0
        for rec in rows:
            ri += 1
            if rec is None:
                continue
            for j, v in enumerate(rec):
                if v is None:
                    continue
                if isinstance(v, str):
                    ws.write_string(ri, j, v)
                elif isinstance(v, dt.date):
                    ws.write_datetime(ri, j, dt.datetime(v.year, v.month, v.day), dfmt)
                else:
                    ws.write_number(ri, j, v)
        ws.freeze_panes(r0 + 1, 0)
    if sheets_out[0][0].extra_sheet:
        ws = wb.add_worksheet("说明")
        ws.write_string(0, 0, "本表由销售部维护，请勿删除列")
        ws.write_string(1, 0, "电话以手机为准；身份证号仅部分客户提供")
    wb.close()


def _write_xlsx_fast(path, sheets_out):
    """Big CRM-style exports: rustpy_xlsxwriter (constant memory, inline strings)."""
    import rustpy_xlsxwriter as rx
    entries, header_row, merges = [], {}, {}
    dfmt = sheets_out[0][0].datefmt or "yyyy-mm-dd"
    for t, rows in sheets_out:
        heads = [h for h, _ in t.cols]
        blank = dict.fromkeys(heads)

        def gen(rows=rows, heads=heads, blank=blank):
            for rec in rows:
                yield blank if rec is None else dict(zip(heads, rec))
        entries.append((t.sheet, gen()))
        if t.title:
            header_row[t.sheet] = 2
            merges[t.sheet] = [(0, 0, 0, len(heads) - 1, t.title)]
    rx.write_worksheets(entries, path, header_row=header_row or None, merge_ranges=merges or None,
                        datetime_format=dfmt, bold_headers=True)


if __name__ == "__main__":
    main()
