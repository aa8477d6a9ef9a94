"""Canonical column names used in code. Schema fields are declared in schemas/customer.yaml;
tests/test_schema.py keeps the field names here in step with it."""

# Provenance of every input row
SOURCE_FILE = "source_file"
SOURCE_SHEET = "source_sheet"
SOURCE_ROW = "source_row"
PROVENANCE = [SOURCE_FILE, SOURCE_SHEET, SOURCE_ROW]

# Schema fields (the bundled customer.yaml)
NAME = "name"
FAMILY_NAME = "family_name"    # 姓, Last Name: with GIVEN_NAME, builds NAME where a sheet splits it
GIVEN_NAME = "given_name"      # 名, First Name
PHONE = "phone"
EMAIL = "email"
ADDRESS = "address"
COMPANY = "company"
INDUSTRY = "industry"          # 行业: for tags such as 医疗器械
TITLE = "title"
GENDER = "gender"
CITY = "city"
PROVINCE = "province"
OWNER = "owner"
CUSTOMER_CODE = "customer_code"
ORDER_ID = "order_id"
ORDER_DATE = "order_date"
AMOUNT = "amount"
LAST_CONTACT_ON = "last_contact_on"
CREATED_ON = "created_on"
BIRTH_ON = "birth_on"
NOTES = "notes"
DISTRICT = "district"
POSTCODE = "postcode"
COUNTRY = "country"
STREET_NUMBER = "street_number"  # address parts: joined into ADDRESS where a sheet splits it
ADDRESS_LINE1 = "address_line1"
ADDRESS_LINE2 = "address_line2"
ADDRESS_PARTS = [STREET_NUMBER, ADDRESS_LINE1, ADDRESS_LINE2]
NAME_PARTS = [FAMILY_NAME, GIVEN_NAME]
ID_NUMBER = "id_number"        # 居民身份证号
PERSONAL_ID = "personal_id"    # social security, passport, national insurance number
CREDIT_CODE = "credit_code"    # 统一社会信用代码
SCHEMA_FIELDS = [NAME, FAMILY_NAME, GIVEN_NAME, PHONE, EMAIL, ADDRESS, *ADDRESS_PARTS, COMPANY, INDUSTRY, TITLE, GENDER,
                 CITY, PROVINCE, DISTRICT, POSTCODE, COUNTRY, ID_NUMBER, PERSONAL_ID, CREDIT_CODE, OWNER, CUSTOMER_CODE, ORDER_ID, ORDER_DATE, AMOUNT, LAST_CONTACT_ON,
                 CREATED_ON, BIRTH_ON, NOTES]

# Added by normalising
PHONE_DISPLAY = "phone_display"
PHONE_TYPE = "phone_type"
PHONE_EXT = "phone_ext"
PHONE_ALT = "phone_2"
EMAIL_ALT = "email_2"
NAME_TITLE = "name_title"     # 先生, 女士, 总, Mr., Dr. taken off the name
AMOUNT_CURRENCY = "amount_currency"
NAME_KEY = "name_key"
NAME_PINYIN = "name_pinyin"     # the name in pinyin words, family name first: "zhang wei"
COMPANY_KEY = "company_key"
ADDRESS_KEY = "address_key"
MATCH_KEYS = [NAME_KEY, COMPANY_KEY, ADDRESS_KEY, NAME_PINYIN]

# Added by the pipeline
ROW_ID = "row_id"              # position of the record in the merged frame
CUSTOMER_ID = "customer_id"
CLUSTER = "cluster"
POOL = "pool"                  # 公海: when the customer fell due and its former owner (stages/pool.py)

# Customers sheet, in this order: who, how to reach them, what they bought, segments,
# quality, provenance. Schema fields missing from the input still get their column, so
# a CRM import mapping set up once keeps working.
ORDER_SUMMARY = ["order_count", "order_count_12m", "total_amount", "amount_12m", "first_order_on", "last_order_on"]
SEGMENTS = ["value_tier", "value_tier_rule", "lifecycle", "lifecycle_rule", "rfm_r", "rfm_f", "rfm_m", "rfm_score",
            "rfm_segment"]
FRESHNESS = ["last_activity_on", "days_since_contact", "days_since_order", "freshness", "health_score"]
CUSTOMER_COLUMNS = [
    CUSTOMER_ID, NAME, NAME_TITLE, FAMILY_NAME, GIVEN_NAME, PHONE, PHONE_DISPLAY, PHONE_TYPE, PHONE_EXT, PHONE_ALT, EMAIL, EMAIL_ALT,
    COMPANY, CREDIT_CODE, INDUSTRY, TITLE, GENDER, BIRTH_ON, ID_NUMBER, PERSONAL_ID, ADDRESS, DISTRICT, CITY, PROVINCE,
    POSTCODE, COUNTRY,
    OWNER, CUSTOMER_CODE,
    CREATED_ON, LAST_CONTACT_ON, *ORDER_SUMMARY, *SEGMENTS, *FRESHNESS, "tags",
    "issue_codes", "source_rows", "sources", "review_pairs", POOL, NOTES,
]
# Names sheetkit computes: an input column called one of these is kept as "<name> (input)".
RESERVED = (set(CUSTOMER_COLUMNS) | set(MATCH_KEYS) | set(PROVENANCE)
            | {ROW_ID, CLUSTER, "outcome", "reason", "decision"})

# Lineage: a contract other tools rely on; extend, never rename
LINEAGE = [SOURCE_FILE, SOURCE_SHEET, SOURCE_ROW, CUSTOMER_ID, "outcome", "reason"]
OUTCOMES = ("kept", "merged", "review", "rejected", "skipped")

# Excel's limit on one cell's text: longer cells are truncated by the writer and reported
EXCEL_MAX_CELL = 32_767

# Issues frame
# "value" is the cleaned value; "original" the cell as written; "suggestion" a likely fix.
ISSUE_COLUMNS = ["code", "severity", SOURCE_FILE, SOURCE_SHEET, SOURCE_ROW, "column",
                 "original", "value", "message", "suggestion"]

# What a cleaned value looks like, for code that must tell valid values from kept-as-written
# ones. Spelled for RE2 ([0-9], no \s or \d), so pandas runs them in C++, not per cell.
VALID_PHONE = r"^\+[0-9]{7,15}$"
VALID_EMAIL = r"^[^@\t\n\v\f\r ]+@[^@\t\n\v\f\r ]+\.[a-z]{2,}$"
ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
