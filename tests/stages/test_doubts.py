"""Phones read in the default region on no evidence, though valid elsewhere too, are flagged."""

from tests.conftest import run_rows


def test_a_number_valid_both_here_and_abroad_with_no_evidence_is_flagged_not_silently_chinese(schema):
    # issue 15: 020 7946 0958 became +862079460958 and (415) 555-2672 +864155552672, silently
    result = run_rows([["姓名", "电话", "地址", "国家"],
                       ["John Smith", "020 7946 0958", None, None],
                       ["Amy Lee", "(415) 555-2672", None, None],
                       ["张三", "020 8123 4567", None, None],            # a Chinese name: evidence enough
                       ["Ann", "020 8123 4567", "广州市天河区体育西路1号", None],  # a Chinese address
                       ["Bob", "021-61234567", None, None],              # valid only in China
                       ["Lin", "13522446688", None, None],               # a Chinese mobile, not 1 352… (US)
                       ["Tom", "+86 20 7946 0958", None, None],          # the country code is written
                       ["Kate", "020 7946 0958", None, "UK"]], schema)    # read as British: no doubt
    doubts = result.issues[result.issues["code"] == "phone-region-uncertain"]
    assert list(zip(doubts["source_row"], doubts["column"])) == [(2, "phone"), (3, "phone")]
    assert doubts["suggestion"].tolist() == ["or +44 20 7946 0958 (GB)", "or +1 415-555-2672 (US)"]
    assert set(doubts["severity"]) == {"warning"}
    assert result.records.set_index("source_row").loc[9, "phone"] == "+442079460958"
