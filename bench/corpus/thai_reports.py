"""A generator of Thai complaint reports for benchmarks and tests: GENERATED DEMO DATA.

Nothing here is a real report, person, company or incident. The texts are assembled from
clause pools for eight topics (roads, canals, schools, village funds, officials asking for
money, procurement, vote-buying, grievances about public services) with slots filled from
fixed lists: the 93 subdistricts of Chachoengsao with their DOPA codes (names as in the
``geothai`` package), villages, หมู่ numbers, invented people and companies, roles, amounts in
several styles and Thai dates in the Buddhist era. About 8% of the reports use Thai digits.

Some reports are planted near-duplicates: by default one group per 1,000 reports, of 2 to 5
members, spread over the whole id range. The first member of a group (lowest id) is the
original; each later member is another person's account of the same incident: sentences
swapped or rotated, a sentence dropped or a closing sentence added, amounts and dates written
in another style, 1-4 synonym swaps (เจ้าหน้าที่↔จนท., ตำบล→ต., ชาวบ้าน↔ประชาชน, ...), Thai
digits with probability 0.5. ``Report.group`` is the group's number (or ``None``), so a
benchmark can take each group's newest member as a query and look for the others.

The output is deterministic for a given ``seed`` and independent of how much of it is read.
It streams (an iterator) and uses only the standard library: a million reports take about
35 seconds of CPU on one core of the project's 2-core machine.

    python bench/corpus/thai_reports.py --size 1000000 --out /tmp/reports.tsv
    python bench/corpus/thai_reports.py --size 20 --show
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Iterator
from typing import NamedTuple

DEFAULT_SEED = 2568

# The 93 subdistricts of Chachoengsao (DOPA code, name, district), as in geothai 3.2.1.
SUBDISTRICTS: tuple[tuple[str, str, str], ...] = (
    ("240101", "หน้าเมือง", "เมืองฉะเชิงเทรา"),
    ("240102", "ท่าไข่", "เมืองฉะเชิงเทรา"),
    ("240103", "บ้านใหม่", "เมืองฉะเชิงเทรา"),
    ("240104", "คลองนา", "เมืองฉะเชิงเทรา"),
    ("240105", "บางตีนเป็ด", "เมืองฉะเชิงเทรา"),
    ("240106", "บางไผ่", "เมืองฉะเชิงเทรา"),
    ("240107", "คลองจุกกระเฌอ", "เมืองฉะเชิงเทรา"),
    ("240108", "บางแก้ว", "เมืองฉะเชิงเทรา"),
    ("240109", "บางขวัญ", "เมืองฉะเชิงเทรา"),
    ("240110", "คลองนครเนื่องเขต", "เมืองฉะเชิงเทรา"),
    ("240111", "วังตะเคียน", "เมืองฉะเชิงเทรา"),
    ("240112", "โสธร", "เมืองฉะเชิงเทรา"),
    ("240113", "บางพระ", "เมืองฉะเชิงเทรา"),
    ("240114", "บางกะไห", "เมืองฉะเชิงเทรา"),
    ("240115", "หนามแดง", "เมืองฉะเชิงเทรา"),
    ("240116", "คลองเปรง", "เมืองฉะเชิงเทรา"),
    ("240117", "คลองอุดมชลจร", "เมืองฉะเชิงเทรา"),
    ("240118", "คลองหลวงแพ่ง", "เมืองฉะเชิงเทรา"),
    ("240119", "บางเตย", "เมืองฉะเชิงเทรา"),
    ("240201", "บางคล้า", "บางคล้า"),
    ("240204", "บางสวน", "บางคล้า"),
    ("240208", "บางกระเจ็ด", "บางคล้า"),
    ("240209", "ปากน้ำ", "บางคล้า"),
    ("240210", "ท่าทองหลาง", "บางคล้า"),
    ("240211", "สาวชะโงก", "บางคล้า"),
    ("240212", "เสม็ดเหนือ", "บางคล้า"),
    ("240213", "เสม็ดใต้", "บางคล้า"),
    ("240214", "หัวไทร", "บางคล้า"),
    ("240301", "บางน้ำเปรี้ยว", "บางน้ำเปรี้ยว"),
    ("240302", "บางขนาก", "บางน้ำเปรี้ยว"),
    ("240303", "สิงโตทอง", "บางน้ำเปรี้ยว"),
    ("240304", "หมอนทอง", "บางน้ำเปรี้ยว"),
    ("240305", "บึงน้ำรักษ์", "บางน้ำเปรี้ยว"),
    ("240306", "ดอนเกาะกา", "บางน้ำเปรี้ยว"),
    ("240307", "โยธะกา", "บางน้ำเปรี้ยว"),
    ("240308", "ดอนฉิมพลี", "บางน้ำเปรี้ยว"),
    ("240309", "ศาลาแดง", "บางน้ำเปรี้ยว"),
    ("240310", "โพรงอากาศ", "บางน้ำเปรี้ยว"),
    ("240401", "บางปะกง", "บางปะกง"),
    ("240402", "ท่าสะอ้าน", "บางปะกง"),
    ("240403", "บางวัว", "บางปะกง"),
    ("240404", "บางสมัคร", "บางปะกง"),
    ("240405", "บางผึ้ง", "บางปะกง"),
    ("240406", "บางเกลือ", "บางปะกง"),
    ("240407", "สองคลอง", "บางปะกง"),
    ("240408", "หนองจอก", "บางปะกง"),
    ("240409", "พิมพา", "บางปะกง"),
    ("240410", "ท่าข้าม", "บางปะกง"),
    ("240411", "หอมศีล", "บางปะกง"),
    ("240412", "เขาดิน", "บางปะกง"),
    ("240501", "บ้านโพธิ์", "บ้านโพธิ์"),
    ("240502", "เกาะไร่", "บ้านโพธิ์"),
    ("240503", "คลองขุด", "บ้านโพธิ์"),
    ("240504", "คลองบ้านโพธิ์", "บ้านโพธิ์"),
    ("240505", "คลองประเวศ", "บ้านโพธิ์"),
    ("240506", "ดอนทราย", "บ้านโพธิ์"),
    ("240507", "เทพราช", "บ้านโพธิ์"),
    ("240508", "ท่าพลับ", "บ้านโพธิ์"),
    ("240509", "หนองตีนนก", "บ้านโพธิ์"),
    ("240510", "หนองบัว", "บ้านโพธิ์"),
    ("240511", "บางซ่อน", "บ้านโพธิ์"),
    ("240512", "บางกรูด", "บ้านโพธิ์"),
    ("240513", "แหลมประดู่", "บ้านโพธิ์"),
    ("240514", "ลาดขวาง", "บ้านโพธิ์"),
    ("240515", "สนามจันทร์", "บ้านโพธิ์"),
    ("240516", "แสนภูดาษ", "บ้านโพธิ์"),
    ("240517", "สิบเอ็ดศอก", "บ้านโพธิ์"),
    ("240601", "เกาะขนุน", "พนมสารคาม"),
    ("240602", "บ้านซ่อง", "พนมสารคาม"),
    ("240603", "พนมสารคาม", "พนมสารคาม"),
    ("240604", "เมืองเก่า", "พนมสารคาม"),
    ("240605", "หนองยาว", "พนมสารคาม"),
    ("240606", "ท่าถ่าน", "พนมสารคาม"),
    ("240607", "หนองแหน", "พนมสารคาม"),
    ("240608", "เขาหินซ้อน", "พนมสารคาม"),
    ("240701", "บางคา", "ราชสาส์น"),
    ("240702", "เมืองใหม่", "ราชสาส์น"),
    ("240703", "ดงน้อย", "ราชสาส์น"),
    ("240801", "คู้ยายหมี", "สนามชัยเขต"),
    ("240802", "ท่ากระดาน", "สนามชัยเขต"),
    ("240803", "ทุ่งพระยา", "สนามชัยเขต"),
    ("240805", "ลาดกระทิง", "สนามชัยเขต"),
    ("240901", "แปลงยาว", "แปลงยาว"),
    ("240902", "วังเย็น", "แปลงยาว"),
    ("240903", "หัวสำโรง", "แปลงยาว"),
    ("240904", "หนองไม้แก่น", "แปลงยาว"),
    ("241001", "ท่าตะเกียบ", "ท่าตะเกียบ"),
    ("241002", "คลองตะเกรา", "ท่าตะเกียบ"),
    ("241101", "ก้อนแก้ว", "คลองเขื่อน"),
    ("241102", "คลองเขื่อน", "คลองเขื่อน"),
    ("241103", "บางเล่า", "คลองเขื่อน"),
    ("241104", "บางโรง", "คลองเขื่อน"),
    ("241105", "บางตลาด", "คลองเขื่อน"),
)

# Invented names: village names, people, companies. Combinations keep them varied.
VILLAGE_PARTS_1 = (
    "หนอง",
    "คลอง",
    "ดอน",
    "โคก",
    "บาง",
    "ท่า",
    "วัง",
    "ทุ่ง",
    "หัว",
    "ไร่",
    "สวน",
    "ปาก",
)
VILLAGE_PARTS_2 = (
    "สะแก",
    "ตะเคียน",
    "มะขาม",
    "ไผ่",
    "บัว",
    "กระทุ่ม",
    "ยาง",
    "ปลาไหล",
    "ขี้เหล็ก",
    "ตาล",
    "โพธิ์",
    "หิน",
    "แดง",
    "ขวาง",
    "ใหม่",
    "กลาง",
    "จาก",
    "ลำพู",
    "น้ำใส",
    "ตะแบก",
)
FIRST_NAMES = (
    "สมชาย",
    "สมศักดิ์",
    "ประเสริฐ",
    "วิชัย",
    "สุรชัย",
    "บุญมี",
    "ทองดี",
    "มานพ",
    "ชัยวัฒน์",
    "อำนาจ",
    "สมพร",
    "ยุพิน",
    "วันเพ็ญ",
    "สุภาพ",
    "มาลี",
    "บุญเรือน",
    "จันทร์เพ็ญ",
    "ประไพ",
    "สายสุนีย์",
    "อรุณี",
    "ธนากร",
    "กิตติพงษ์",
    "ณรงค์",
    "เสน่ห์",
    "ไพโรจน์",
    "สุนทร",
    "พิมพ์ใจ",
    "นงลักษณ์",
    "รัตนา",
    "เกษม",
)
LAST_NAMES = (
    "ใจดี",
    "รักไทย",
    "ศรีสุข",
    "แก้วมณี",
    "บุญส่ง",
    "วงษ์ไทย",
    "ทองคำ",
    "มั่นคง",
    "เจริญผล",
    "สุขสวัสดิ์",
    "พึ่งบุญ",
    "ชื่นชม",
    "อ่อนศรี",
    "ประเสริฐสุข",
    "นาคสวัสดิ์",
    "แสงทอง",
    "ศรีอ่อน",
    "เพชรรัตน์",
    "บุญมา",
    "จันทร์หอม",
    "สายทอง",
    "พูลผล",
    "ดีมาก",
    "ทองมา",
    "ปานทอง",
    "ชัยมงคล",
    "สมบูรณ์",
    "รุ่งเรือง",
    "ศักดิ์ดี",
    "อินทร์แก้ว",
)
COMPANY_PARTS_1 = (
    "ศรีสมบูรณ์",
    "ทองเจริญ",
    "รุ่งเรือง",
    "เจริญชัย",
    "สหมิตร",
    "ชัยพัฒนา",
    "พรประเสริฐ",
    "มั่นคง",
    "เพชรบางปะกง",
    "แปดริ้ว",
    "ธนวัฒน์",
    "สุวรรณ",
    "บูรพา",
    "โชคชัย",
    "วังทอง",
)
COMPANY_PARTS_2 = (
    "ก่อสร้าง",
    "การโยธา",
    "วิศวกรรม",
    "ค้าวัสดุ",
    "คอนสตรัคชั่น",
    "ซัพพลาย",
    "เทรดดิ้ง",
    "พัฒนา",
)
COMPANY_FORMS = ("หจก.{0}{1}", "บริษัท {0}{1} จำกัด", "ห้างหุ้นส่วนจำกัด {0}{1}")

ROLES_LOCAL = (
    "นายก อบต.",
    "ปลัด อบต.",
    "รองนายก อบต.",
    "สมาชิกสภา อบต.",
    "ผู้อำนวยการกองช่าง",
    "นายช่างโยธา",
    "หัวหน้าสำนักปลัด",
    "เจ้าหน้าที่พัสดุ",
    "กำนัน",
    "ผู้ใหญ่บ้าน",
)
ROLES_OFFICIAL = (
    "เจ้าหน้าที่ที่ดิน",
    "ตำรวจจราจร",
    "เจ้าหน้าที่สรรพากร",
    "เจ้าหน้าที่ขนส่ง",
    "ปลัดอำเภอ",
    "เจ้าหน้าที่สาธารณสุข",
    "เจ้าหน้าที่ป่าไม้",
    "ตำรวจ สภ.",
)
SCHOOL_FORMS = ("โรงเรียนวัด{0}", "โรงเรียนบ้าน{0}", "โรงเรียนอนุบาล{0}")
THAI_MONTHS = (
    ("มกราคม", "ม.ค."),
    ("กุมภาพันธ์", "ก.พ."),
    ("มีนาคม", "มี.ค."),
    ("เมษายน", "เม.ย."),
    ("พฤษภาคม", "พ.ค."),
    ("มิถุนายน", "มิ.ย."),
    ("กรกฎาคม", "ก.ค."),
    ("สิงหาคม", "ส.ค."),
    ("กันยายน", "ก.ย."),
    ("ตุลาคม", "ต.ค."),
    ("พฤศจิกายน", "พ.ย."),
    ("ธันวาคม", "ธ.ค."),
)

# Report kinds as in sujarit.cases.models.ReportKind (kept as plain strings: no Django here).
CORRUPTION = "corruption"
STATE_FUNDS = "state_funds"
ELECTION_FRAUD = "election_fraud"
PROCUREMENT = "procurement"
GRIEVANCE = "grievance"


class Topic(NamedTuple):
    name: str
    kind: str
    openers: tuple[str, ...]
    details: tuple[str, ...]
    effects: tuple[str, ...]
    requests: tuple[str, ...]


# Slots: {tambon} ตำบล/ต. + name, {amphoe} อำเภอ/อ. + name, {village} บ้าน..., {village2},
# {moo} หมู่ 3 / หมู่ที่ 3 / ม.3, {org} the local body, {person}, {person2}, {role}, {official},
# {company}, {amount}, {amount2}, {date}, {length}, {length2}, {count}, {school}, {canal}.
TOPICS: tuple[Topic, ...] = (
    Topic(
        "roads",
        STATE_FUNDS,
        (
            "ขอร้องเรียนเรื่องถนนคอนกรีตเสริมเหล็กใน{moo} {village} {tambon} {amphoe}"
            " ที่เพิ่งสร้างเสร็จเมื่อ{date}",
            "ชาวบ้าน{moo} {village} {tambon} เดือดร้อนจากถนนลาดยางสาย{village}–{village2}"
            " ที่{org}จ้างซ่อมเมื่อ{date}",
            "ถนนในโครงการก่อสร้างถนนคอนกรีต{moo} {tambon} {amphoe} งบประมาณ {amount}"
            " แตกร้าวทั้งที่ใช้งานได้ไม่ถึงปี",
        ),
        (
            "ผู้รับเหมาคือ{company} เทปูนบางกว่าที่กำหนดในแบบ",
            "ป้ายโครงการเขียนว่ายาว {length} เมตร แต่วัดจริงได้ไม่ถึง {length2} เมตร",
            "{role} {person} เป็นคนตรวจรับงานทั้งที่งานยังไม่เสร็จ",
            "มีการเบิกจ่ายเงินงวดสุดท้ายไปแล้ว {amount}",
            "ไม่มีการบดอัดดินก่อนเทปูน ฝนตกครั้งเดียวถนนก็ทรุดเป็นหลุม",
            "ได้ยินมาว่า{company}เป็นของญาติ{role}",
            "ถนนกว้างไม่ถึง 4 เมตรตามแบบ และไม่มีไหล่ทางเลย",
        ),
        (
            "ตอนนี้รถเล็กวิ่งผ่านไม่ได้ เด็กนักเรียนต้องเดินอ้อมไปอีกทาง",
            "ชาวบ้านกว่า {count} ครัวเรือนใช้ถนนเส้นนี้ทุกวัน",
            "มีคนขี่มอเตอร์ไซค์ล้มบาดเจ็บแล้ว {count2} ราย",
        ),
        (
            "ขอให้เจ้าหน้าที่ลงมาตรวจสอบด้วยครับ",
            "อยากให้ตรวจสอบการใช้งบประมาณของโครงการนี้",
            "ขอให้ช่วยตรวจสอบและเรียกผู้รับเหมามาแก้ไขให้ถูกต้อง",
        ),
    ),
    Topic(
        "canals",
        STATE_FUNDS,
        (
            "โครงการขุดลอก{canal} {moo} {tambon} {amphoe} งบประมาณ {amount} ทำไม่ครบตามสัญญา",
            "ชาวบ้าน{village} {tambon} ขอแจ้งเรื่องการขุดลอก{canal}ที่{org}ทำเมื่อ{date}",
            "{canal}ช่วงที่ผ่าน{moo} {village} ตื้นเขินเหมือนเดิมทั้งที่เพิ่งมีโครงการขุดลอกเมื่อ{date}",
        ),
        (
            "รถแบ็กโฮมาทำงานแค่ {count2} วันแล้วก็ย้ายออกไป",
            "ผักตบชวายังเต็มคลอง ดินที่ขุดก็กองไว้ริมตลิ่งจนไหลกลับลงคลอง",
            "ผู้รับจ้างคือ{company} ได้งานนี้มาหลายปีติดกัน",
            "ความยาวที่ขุดจริงประมาณ {length2} เมตร แต่ในสัญญาเขียนไว้ {length} เมตร",
            "{role} {person} บอกชาวบ้านว่างานเสร็จแล้วและตรวจรับไปแล้ว",
            "เขื่อนกันตลิ่งที่สร้างพร้อมกันพังลงมาแล้วบางส่วน",
        ),
        (
            "หน้าแล้งชาวนาไม่มีน้ำทำนา หน้าฝนน้ำก็ท่วมบ้าน",
            "ชาวบ้านกว่า {count} ครัวเรือนที่ใช้น้ำจากคลองนี้ได้รับผลกระทบ",
            "เรือของชาวบ้านสัญจรไม่ได้เพราะคลองตื้น",
        ),
        (
            "ขอให้ตรวจสอบการเบิกจ่ายเงินโครงการนี้ด้วยค่ะ",
            "อยากให้หน่วยงานที่เกี่ยวข้องลงพื้นที่มาดูสภาพจริง",
            "ขอให้ตรวจสอบว่าผู้รับจ้างทำงานครบตามสัญญาหรือไม่",
        ),
    ),
    Topic(
        "schools",
        CORRUPTION,
        (
            "ผู้ปกครองนักเรียน{school} {tambon} {amphoe} ขอร้องเรียนเรื่องการเรียกเก็บเงิน",
            "{school} {moo} {tambon} เรียกเงินค่าแป๊ะเจี๊ยะจากผู้ปกครองเมื่อ{date}",
            "ขอแจ้งเรื่องการใช้เงินอาหารกลางวันของ{school} {tambon} ที่ไม่โปร่งใส",
        ),
        (
            "ครูบอกว่าต้องจ่ายคนละ {amount} ถ้าอยากให้ลูกได้เข้าเรียน",
            "อาหารกลางวันที่เด็กได้มีแต่ข้าวกับน้ำแกงใส ไม่มีเนื้อสัตว์",
            "ผู้อำนวยการ{person} ไม่ยอมออกใบเสร็จให้ผู้ปกครอง",
            "มีการซื้ออุปกรณ์การเรียนจาก{company}ในราคาแพงกว่าท้องตลาด",
            "งบซ่อมอาคารเรียน {amount} แต่ซ่อมแค่ทาสีหลังคา",
            "ผู้ปกครองบางคนถูกขู่ว่าลูกจะไม่ได้เลื่อนชั้นถ้าไม่จ่ายเงิน",
        ),
        (
            "เด็กนักเรียนกว่า {count} คนได้รับผลกระทบ",
            "ผู้ปกครองส่วนใหญ่เป็นคนมีรายได้น้อยไม่มีเงินจ่าย",
            "ผู้ปกครองไม่กล้าร้องเรียนกับโรงเรียนโดยตรงเพราะกลัวลูกถูกกลั่นแกล้ง",
        ),
        (
            "ขอให้เขตพื้นที่การศึกษาตรวจสอบด้วยค่ะ",
            "ขอให้ตรวจสอบโดยไม่เปิดเผยชื่อผู้แจ้ง",
            "อยากให้ตรวจสอบบัญชีการเงินของโรงเรียน",
        ),
    ),
    Topic(
        "village_funds",
        STATE_FUNDS,
        (
            "คณะกรรมการกองทุนหมู่บ้าน{village} {moo} {tambon} {amphoe} บริหารเงินกองทุนไม่โปร่งใส",
            "สมาชิกกองทุนหมู่บ้าน{moo} {tambon} ขอร้องเรียนประธานกองทุนเรื่องเงินหายไป {amount}",
            "ขอแจ้งเรื่องกองทุนหมู่บ้าน{village} {tambon} ที่ไม่มีการประชุมสมาชิกตั้งแต่{date}",
        ),
        (
            "ประธานกองทุน{person} ปล่อยกู้ให้แต่ญาติของตัวเอง",
            "สมุดบัญชีของกองทุนไม่เคยเปิดให้สมาชิกดู",
            "เงินที่สมาชิกส่งคืนไม่ถูกนำเข้าบัญชีกองทุน รวมแล้วประมาณ {amount}",
            "{role} {person2} ลงชื่อเป็นผู้กู้ทั้งที่ไม่ได้เป็นสมาชิก",
            "มีการทำเอกสารกู้เงินปลอมในชื่อของชาวบ้านหลายคน",
            "เงินปันผลที่ควรได้ตอนสิ้นปีไม่มีการจ่ายให้สมาชิก",
        ),
        (
            "สมาชิกกว่า {count} คนไม่ได้รับเงินปันผล",
            "ชาวบ้านที่เดือดร้อนจริงกู้เงินไม่ได้ ต้องไปกู้นอกระบบ",
            "ตอนนี้กองทุนเหลือเงินในบัญชีไม่ถึง {amount2}",
        ),
        (
            "ขอให้อำเภอส่งเจ้าหน้าที่มาตรวจสอบบัญชีกองทุนด้วยครับ",
            "อยากให้มีการประชุมสมาชิกและแถลงบัญชีให้ชัดเจน",
            "ขอให้ตรวจสอบและดำเนินการกับผู้ที่ทุจริตเงินกองทุน",
        ),
    ),
    Topic(
        "officials_money",
        CORRUPTION,
        (
            "{official}ที่{amphoe} เรียกรับเงินจากชาวบ้านเมื่อ{date}",
            "ขอร้องเรียน{official}ชื่อ{person} ที่เรียกเงิน {amount} เพื่อแลกกับการอนุมัติเรื่อง",
            "ชาวบ้าน{village} {tambon} ถูก{official}เรียกเก็บเงินนอกระบบ",
        ),
        (
            "เขาบอกว่าถ้าไม่จ่าย {amount} เรื่องจะไม่เดินและต้องรออีกหลายเดือน",
            "การจ่ายเงินทำกันที่ร้านกาแฟหน้าที่ว่าการอำเภอ ไม่มีใบเสร็จ",
            "มีชาวบ้านจ่ายไปแล้วอย่างน้อย {count2} ราย คนละประมาณ {amount2}",
            "ตอนตั้งด่านตรวจรถที่{tambon} มีการเรียกเงินแทนการออกใบสั่ง",
            "ผู้ที่ไม่ยอมจ่ายถูกกลั่นแกล้งให้เอกสารไม่ผ่าน",
            "ได้ยินว่าเงินส่วนหนึ่งส่งต่อให้หัวหน้า",
        ),
        (
            "ชาวบ้านไม่กล้าร้องเรียนเองเพราะกลัวถูกกลั่นแกล้ง",
            "คนที่ไม่มีเงินจ่ายต้องเสียเวลามาหลายรอบ",
            "เรื่องนี้เกิดขึ้นมาหลายปีแล้วแต่ไม่มีใครกล้าพูด",
        ),
        (
            "ขอให้ตรวจสอบและดำเนินการตามกฎหมายด้วยครับ",
            "ขอให้ตรวจสอบโดยไม่เปิดเผยชื่อผู้แจ้ง",
            "อยากให้ผู้บังคับบัญชาของเจ้าหน้าที่คนนี้รับทราบ",
        ),
    ),
    Topic(
        "procurement",
        PROCUREMENT,
        (
            "การประกวดราคาจ้างโครงการของ{org} {amphoe} เมื่อ{date} มีการล็อกสเปก",
            "ขอร้องเรียนการจัดซื้อจัดจ้างของ{org} มูลค่า {amount} ที่ไม่โปร่งใส",
            "{org}จัดซื้อครุภัณฑ์ราคาสูงเกินจริงเมื่อ{date}",
        ),
        (
            "ทีโออาร์เขียนคุณสมบัติให้มีแต่{company}ที่ยื่นได้",
            "ผู้ยื่นซองทั้งสามรายเป็นเครือญาติกัน และเสนอราคาต่างกันไม่ถึง 1 เปอร์เซ็นต์",
            "{role} {person} มีหุ้นอยู่ใน{company}ที่ชนะการประกวดราคา",
            "ราคากลาง {amount} แต่ของแบบเดียวกันในท้องตลาดราคาไม่ถึง {amount2}",
            "มีการแบ่งซื้อแบ่งจ้างเป็นหลายสัญญาเพื่อให้ใช้วิธีเฉพาะเจาะจงได้",
            "ของที่ส่งมอบไม่ตรงตามสเปกแต่คณะกรรมการก็ตรวจรับ",
        ),
        (
            "ผู้ประกอบการรายอื่นในพื้นที่ไม่มีโอกาสแข่งขันเลย",
            "ทำให้ท้องถิ่นเสียงบประมาณไปโดยไม่จำเป็น",
            "เรื่องแบบนี้เกิดขึ้นทุกปีงบประมาณ",
        ),
        (
            "ขอให้ตรวจสอบเอกสารการจัดซื้อจัดจ้างทั้งหมดด้วยครับ",
            "อยากให้สำนักงานตรวจเงินแผ่นดินเข้ามาตรวจสอบ",
            "ขอให้ตรวจสอบความสัมพันธ์ระหว่างผู้บริหารกับบริษัทผู้ชนะ",
        ),
    ),
    Topic(
        "vote_buying",
        ELECTION_FRAUD,
        (
            "มีการซื้อเสียงเลือกตั้งนายก อบต. ใน{moo} {village} {tambon} {amphoe} เมื่อ{date}",
            "หัวคะแนนของผู้สมัคร{person} แจกเงินชาวบ้าน{village} {tambon}",
            "ขอแจ้งเบาะแสการซื้อสิทธิขายเสียงใน{tambon} {amphoe} ก่อนวันเลือกตั้ง",
        ),
        (
            "หัวคะแนนชื่อ{person2} เดินแจกเงินตามบ้านคนละ {amount2}",
            "มีการจัดเลี้ยงโต๊ะจีนที่ศาลาประชาคม{moo} และแจกซองให้คนที่มา",
            "{role} {person2} เป็นคนจดรายชื่อผู้รับเงินไว้",
            "มีการแจกข้าวสารและของใช้พร้อมบอกให้เลือกเบอร์ {count2}",
            "รถกระบะของผู้สมัครวนรับส่งคนไปลงคะแนนตั้งแต่เช้า",
            "เงินที่แจกรวมทั้งหมู่บ้านน่าจะไม่ต่ำกว่า {amount}",
        ),
        (
            "ชาวบ้านหลายคนรับเงินเพราะกลัวถูกจับตามอง",
            "ผู้สมัครคนอื่นไม่มีโอกาสแข่งขันอย่างเป็นธรรม",
            "มีคลิปวิดีโอตอนแจกเงินอยู่ในกลุ่มไลน์ของหมู่บ้าน",
        ),
        (
            "ขอให้ กกต. ตรวจสอบด้วยครับ",
            "ขอให้ตรวจสอบโดยไม่เปิดเผยชื่อผู้แจ้ง เพราะกลัวอันตราย",
            "อยากให้มีเจ้าหน้าที่มาสังเกตการณ์ในวันเลือกตั้ง",
        ),
    ),
    Topic(
        "grievances",
        GRIEVANCE,
        (
            "ชาวบ้าน{moo} {village} {tambon} {amphoe} ไม่มีน้ำประปาใช้มาตั้งแต่{date}",
            "ขยะไม่ได้รับการจัดเก็บใน{moo} {tambon} มาหลายสัปดาห์แล้ว",
            "น้ำท่วมขังถนนใน{village} {tambon} ทุกครั้งที่ฝนตกเพราะท่อระบายน้ำอุดตัน",
            "ผู้สูงอายุใน{moo} {tambon} ไม่ได้รับเบี้ยยังชีพมาตั้งแต่{date}",
            "โรงงานบดหินใน{tambon} {amphoe} ปล่อยฝุ่นเข้า{village}",
        ),
        (
            "แจ้ง{org}ไปหลายครั้งแล้วแต่ไม่มีใครมาแก้ไข",
            "{role} {person} บอกว่าไม่มีงบประมาณ",
            "ชาวบ้านต้องซื้อน้ำใช้เดือนละประมาณ {amount2}",
            "เด็กและคนแก่ในหมู่บ้านเริ่มป่วยเป็นโรคทางเดินหายใจ",
            "ถังขยะล้นจนสุนัขคุ้ยกระจายเต็มถนน",
            "เจ้าหน้าที่บอกว่ารายชื่อตกหล่นแต่ไม่ยอมแก้ไขให้",
        ),
        (
            "ชาวบ้านกว่า {count} ครัวเรือนเดือดร้อน",
            "ปัญหานี้เกิดขึ้นซ้ำทุกปี",
            "บางครอบครัวต้องย้ายไปอยู่กับญาติชั่วคราว",
        ),
        (
            "ขอให้หน่วยงานที่รับผิดชอบเร่งแก้ไขด้วยค่ะ",
            "อยากให้ศูนย์ดำรงธรรมช่วยประสานงานให้",
            "ขอให้ช่วยติดตามเรื่องนี้ให้ด้วยครับ",
        ),
    ),
)

# Sentences a second reporter may add at the end of their account of the same incident.
CLOSERS = (
    "ขอบคุณครับ",
    "ขอบคุณค่ะ",
    "ผมเคยแจ้งไปแล้วครั้งหนึ่งแต่เรื่องเงียบ",
    "มีรูปถ่ายเป็นหลักฐานถ้าต้องการ",
    "เรื่องนี้คนในหมู่บ้านรู้กันทั่ว",
    "หวังว่าจะได้รับการแก้ไขโดยเร็ว",
)

# Synonym and abbreviation swaps a different writer might make (regular expressions). Only
# pairs that are safe to apply in this direction everywhere in a text (a bare "ต." could be
# part of "อบต.", so only the long-to-short direction of such pairs is listed).
SYNONYMS: tuple[tuple[str, str], ...] = (
    ("เจ้าหน้าที่", "จนท."),
    (r"จนท\.", "เจ้าหน้าที่"),
    ("ตำบล", "ต."),
    ("อำเภอ", "อ."),
    ("ชาวบ้าน", "ประชาชน"),
    ("ประชาชน", "ชาวบ้าน"),
    ("หมู่ที่ ", "ม."),
    ("โรงเรียน", "ร.ร."),
    ("ผู้ใหญ่บ้าน", "ผญบ."),
    ("ครับ", "ค่ะ"),
    ("ค่ะ", "ครับ"),
    ("งบประมาณ", "งบ"),
    ("ตรวจสอบ", "ตรวจดู"),
    ("เรียกรับเงิน", "เรียกเงิน"),
    ("(?<!งบ)ประมาณ", "ราว"),
    (r"นายก อบต\.", "นายกองค์การบริหารส่วนตำบล"),
)

_SYNONYM_PATTERNS = tuple((re.compile(old), new) for old, new in SYNONYMS)
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


class Report(NamedTuple):
    """One generated report. ``id`` counts from 1; ``group`` is the planted group or None."""

    id: int
    group: int | None
    text: str
    kind: str
    subdistrict_code: str
    village: str
    moo: int


class _Incident(NamedTuple):
    """What happened, before it is written down: the facts every account of it shares."""

    topic: Topic
    sentences: tuple[str, ...]
    slots: dict[str, str]
    amount: int
    amount2: int
    day: int
    month: int
    year_be: int
    subdistrict: tuple[str, str, str]
    village: str
    moo: int


def thai_digits(text: str) -> str:
    """The text with Arabic digits written as Thai digits."""
    return text.translate(_THAI_DIGITS)


def format_amount(amount: int, style: int) -> str:
    """An amount of baht in one of four styles people write."""
    if style == 0:
        return f"{amount:,} บาท"
    if style == 1:
        return f"{amount} บาท"
    if style == 2:
        for unit, word in ((1_000_000, "ล้าน"), (100_000, "แสน"), (10_000, "หมื่น"), (1_000, "พัน")):
            if amount >= unit:
                return f"{amount / unit:g} {word}บาท"
        return f"{amount} บาท"
    return f"ประมาณ {amount:,} บาท"


def format_date(day: int, month: int, year_be: int, style: int) -> str:
    """A Thai date in the Buddhist era, full or abbreviated."""
    full, short = THAI_MONTHS[month - 1]
    if style == 0:
        return f"วันที่ {day} {full} {year_be}"
    if style == 1:
        return f" {day} {short} {year_be % 100}"
    return f"เดือน{full} {year_be}"


def _incident(rng: random.Random) -> _Incident:
    # random.choice and randint cost about ten times rng.random(); at a million reports
    # with some thirty draws each, that is the difference between seconds and a minute.
    r = rng.random

    def pick(seq: tuple[str, ...]) -> str:
        return seq[int(r() * len(seq))]

    def between(low: int, high: int) -> int:
        return low + int(r() * (high - low + 1))

    topic = TOPICS[int(r() * len(TOPICS))]
    subdistrict = SUBDISTRICTS[int(r() * len(SUBDISTRICTS))]
    _code, sub_name, district = subdistrict
    village = "บ้าน" + pick(VILLAGE_PARTS_1) + pick(VILLAGE_PARTS_2)
    village2 = "บ้าน" + pick(VILLAGE_PARTS_1) + pick(VILLAGE_PARTS_2)
    moo = between(1, 15)
    magnitude = (1_000, 10_000, 100_000)[int(r() * 3)]
    amount = between(1, 99) * magnitude // (1, 2, 10)[int(r() * 3)] or 500
    amount2 = between(1, 50) * (100, 500, 1_000)[int(r() * 3)]
    length = between(10, 300) * 10
    company = pick(COMPANY_FORMS).format(pick(COMPANY_PARTS_1), pick(COMPANY_PARTS_2))
    org_style = r()
    if org_style < 0.5:
        org = f"อบต.{sub_name}"
    elif org_style < 0.8:
        org = f"เทศบาลตำบล{sub_name}"
    else:
        org = f"องค์การบริหารส่วนตำบล{sub_name}"
    place_style = r() < 0.7
    slots = {
        "tambon": ("ตำบล" if place_style else "ต.") + sub_name,
        "amphoe": ("อำเภอ" if place_style else "อ.") + district,
        "village": village,
        "village2": village2,
        "moo": pick(("หมู่ {0}", "หมู่ที่ {0}", "ม.{0}")).format(moo),
        "org": org,
        "person": pick(("นาย", "นาง", "นางสาว", "")) + pick(FIRST_NAMES) + " " + pick(LAST_NAMES),
        "person2": pick(FIRST_NAMES) + " " + pick(LAST_NAMES),
        "role": pick(ROLES_LOCAL),
        "official": pick(ROLES_OFFICIAL),
        "company": company,
        "length": str(length),
        "length2": str(length * between(4, 9) // 10),
        "count": str(between(2, 60) * 10),
        "count2": str(between(2, 19)),
        "school": pick(SCHOOL_FORMS).format(pick(VILLAGE_PARTS_2)),
        "canal": "คลอง" + pick(VILLAGE_PARTS_2) + pick(("", "ใหญ่", "น้อย", "ล่าง")),
    }
    details = list(topic.details)
    sentences = [pick(topic.openers)]
    for _ in range(between(1, 3)):
        sentences.append(details.pop(int(r() * len(details))))
    if r() < 0.6:
        sentences.append(pick(topic.effects))
    sentences.append(pick(topic.requests))
    return _Incident(
        topic=topic,
        sentences=tuple(sentences),
        slots=slots,
        amount=amount,
        amount2=amount2,
        day=between(1, 28),
        month=between(1, 12),
        year_be=between(2565, 2569),
        subdistrict=subdistrict,
        village=village,
        moo=moo,
    )


def _render(incident: _Incident, sentences: list[str], rng: random.Random) -> str:
    slots = dict(incident.slots)
    amount_style = int(rng.random() * 4)
    slots["amount"] = format_amount(incident.amount, amount_style)
    slots["amount2"] = format_amount(incident.amount2, amount_style)
    date_style = int(rng.random() * 3)
    slots["date"] = format_date(incident.day, incident.month, incident.year_be, date_style)
    return " ".join(sentence.format_map(slots) for sentence in sentences)


def _variant(incident: _Incident, rng: random.Random) -> str:
    """Another person's account of the same incident."""
    sentences = list(incident.sentences)
    if len(sentences) >= 3 and rng.random() < 0.6:
        i, j = rng.sample(range(len(sentences)), 2)
        sentences[i], sentences[j] = sentences[j], sentences[i]
    if rng.random() < 0.3:
        shift = rng.randint(1, len(sentences) - 1)
        sentences = sentences[shift:] + sentences[:shift]
    if len(sentences) >= 4 and rng.random() < 0.3:
        del sentences[rng.randrange(len(sentences))]
    if rng.random() < 0.3:
        sentences.append(rng.choice(CLOSERS))
    text = _render(incident, sentences, rng)
    swaps = [(pattern, new) for pattern, new in _SYNONYM_PATTERNS if pattern.search(text)]
    for pattern, new in rng.sample(swaps, min(len(swaps), rng.randint(1, 4))):
        text = pattern.sub(new, text)
    if rng.random() < 0.5:
        text = thai_digits(text)
    return text


def _plant(n: int, groups: int, rng: random.Random) -> dict[int, tuple[int, int]]:
    """Positions (0-based) of group members: position -> (group, member index)."""
    sizes = [rng.randint(2, 5) for _ in range(groups)]
    total = sum(sizes)
    if total > n:
        raise ValueError(f"{groups} groups need {total} reports, more than {n}")
    positions = rng.sample(range(n), total)
    planted: dict[int, tuple[int, int]] = {}
    start = 0
    for group, size in enumerate(sizes):
        for member, position in enumerate(sorted(positions[start : start + size])):
            planted[position] = (group, member)
        start += size
    return planted


def generate(
    n: int, *, seed: int = DEFAULT_SEED, groups: int | None = None, thai_digit_share: float = 0.08
) -> Iterator[Report]:
    """Yield ``n`` reports with ids 1..n; ``groups`` planted groups (default: one per 1,000).

    Each group member's text depends only on ``seed`` and its group, and every other
    report's text only on ``seed`` and the reports before it, so the same arguments always
    give the same corpus.
    """
    if groups is None:
        groups = n // 1000 if n >= 1000 else (1 if n >= 10 else 0)
    planted = _plant(n, groups, random.Random(f"{seed}:plant"))
    rng = random.Random(seed)
    incidents: dict[int, _Incident] = {}
    for position in range(n):
        member_of = planted.get(position)
        if member_of is None:
            incident = _incident(rng)
            text = _render(incident, list(incident.sentences), rng)
            if rng.random() < thai_digit_share:
                text = thai_digits(text)
            group = None
        else:
            group, member = member_of
            if member == 0:
                incident = _incident(random.Random(f"{seed}:group:{group}"))
                incidents[group] = incident
                first = random.Random(f"{seed}:{group}:0")
                text = _render(incident, list(incident.sentences), first)
            else:
                incident = incidents[group]
                text = _variant(incident, random.Random(f"{seed}:{group}:{member}"))
        yield Report(
            id=position + 1,
            group=group,
            text=text,
            kind=incident.topic.kind,
            subdistrict_code=incident.subdistrict[0],
            village=incident.village,
            moo=incident.moo,
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--groups", type=int, default=None)
    parser.add_argument("--out", help="write TSV (id, group, kind, subdistrict_code, text)")
    parser.add_argument("--show", action="store_true", help="print the reports")
    args = parser.parse_args(argv)
    out = open(args.out, "w", encoding="utf-8") if args.out else None  # noqa: SIM115
    lengths: list[int] = []
    grouped = 0
    try:
        for report in generate(args.size, seed=args.seed, groups=args.groups):
            lengths.append(len(report.text))
            grouped += report.group is not None
            row = (
                report.id,
                "" if report.group is None else report.group,
                report.kind,
                report.subdistrict_code,
                report.text,
            )
            if out is not None:
                out.write("\t".join(map(str, row)) + "\n")
            if args.show:
                print(*row, sep="\t")
    finally:
        if out is not None:
            out.close()
    lengths.sort()
    if lengths:
        print(
            f"{len(lengths)} reports, {grouped} in planted groups; text length min {lengths[0]}, "
            f"median {lengths[len(lengths) // 2]}, max {lengths[-1]}",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
