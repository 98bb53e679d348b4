"""The rule registry (calculator/rules.py) is the one place a rule is written, and the one list of figures."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

import pytest

from calculator import calculate, default_tariff, parse_tariff
from calculator.engine import STATUSES
from calculator.rules import CASE_KEYS, FIGURES, RULES, LineItem, Priced, Rule
from calculator.tariff import DEFAULT_TARIFF_PATH, Agreement, Case, placeholders
from calculator.texts import LANGUAGES, messages, rule_text

TARIFF_TEXT = DEFAULT_TARIFF_PATH.read_text("utf-8")


def test_every_rule_has_its_words_and_only_rules_have_words() -> None:
    assert set(messages()["rule"]) == set(RULES)
    for name in RULES:
        for lang in LANGUAGES:
            assert rule_text(name, lang).strip()


def test_every_rule_key_is_a_case_field() -> None:
    fields = {field.name for field in dataclasses.fields(Case)}
    for rule in RULES.values():
        assert set(rule.keys) <= set(CASE_KEYS), rule.name
    assert set(CASE_KEYS) <= fields
    # Every key some rule uses, and no key no rule uses.
    assert {key for rule in RULES.values() for key in rule.keys} == set(CASE_KEYS)


def test_a_rule_priced_by_time_says_how_for_the_comparison_chart_and_links() -> None:
    for rule in RULES.values():
        timed = (rule.rate_per_hour, rule.corners, rule.chart_words, rule.example_minutes)
        assert all(part is not None for part in timed) == rule.uses_time, rule.name
        assert all(part is None for part in timed) != rule.uses_time, rule.name


def test_every_figure_is_a_field_and_every_placeholder_a_figure() -> None:
    case_fields = {field.name for field in dataclasses.fields(Case)}
    tariff_fields = {field.name for field in dataclasses.fields(Agreement)}
    for figure in FIGURES:
        assert figure.field in (case_fields if figure.owner == "case" else tariff_fields), figure
    names = {figure.name for figure in FIGURES}
    used = set().union(*(placeholders(text) for text in re.findall(r'^text\.\w+ = "(.*)"$', TARIFF_TEXT, re.M)))
    assert used <= names
    # The tariff file's own comment lists exactly the figures a text may name.
    comment = " ".join(line for line in TARIFF_TEXT.splitlines() if line.startswith("#"))
    listed = set(re.findall(r"\{([a-z_]+)\}", comment.split("figures:", 1)[1].split(".", 1)[0]))
    assert listed == names


def test_the_tariff_files_comment_lists_every_rule() -> None:
    comment = next(line for line in TARIFF_TEXT.splitlines() if line.startswith("# rule is one of:"))
    assert comment.removeprefix("# rule is one of: ").rstrip(".").split(", ") == list(RULES)


def test_statuses_of_every_rule_are_known() -> None:
    book = default_tariff()
    for case in book.cases.values():
        tariff = book.tariffs[case.tariffs[0]]
        for minutes in (Decimal(1), Decimal(600)):
            priced = RULES[case.rule].price(case, tariff, minutes if case.uses_time else None)
            assert priced.status in STATUSES


def _double_hourly(case: Case, tariff: Agreement, minutes: Decimal) -> Priced:
    amount = (tariff.hourly_rate * 2 * minutes / 60).quantize(Decimal("0.01"))
    return Priced("estimate", (LineItem("unit", minutes / 60, tariff.hourly_rate * 2, amount, minutes),), amount)


def test_adding_a_rule_is_one_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new rule registered in RULES alone is validated, priced and compared like the others."""
    rule = Rule(
        "double_hourly",
        _double_hourly,
        required=("unit",),
        uses_time=True,
        uses_hourly_rate=True,
        rate_per_hour=lambda case, tariff: tariff.hourly_rate * 2,
        corners=lambda case, tariff, end: [(Decimal(0), Decimal(0)), (Decimal(end), tariff.hourly_rate * 2 * end / 60)],
        chart_words=lambda case, tariff, lang: "twice the rate",
        example_minutes=lambda case: 60,
    )
    monkeypatch.setitem(RULES, rule.name, rule)
    text = TARIFF_TEXT.replace(
        'id = "development"\ntariffs = ["se-lower-rate", "se-higher-rate"]\nrule = "hourly"',
        'id = "development"\ntariffs = ["se-lower-rate", "se-higher-rate"]\nrule = "double_hourly"',
    )
    assert 'rule = "double_hourly"' in text
    book = parse_tariff(text)
    line = {"tariff": "se-lower-rate", "case": "development", "time": "1 h 30 min"}
    response = calculate({"lang": "en", "lines": [line], "compare": True}, book)
    assert response["ok"], response["errors"]
    assert response["estimate"]["total_ex_vat"] == "2388.00"  # 796 × 2 × 1.5
    assert [option["amount_ex_vat"] for option in response["comparisons"][0]["options"]] == ["2388.00", "2985.00"]
    assert "twice the rate" in response["comparisons"][0]["chart"]["text"]


def test_a_rule_needing_an_hourly_rate_refuses_an_agreement_without_one() -> None:
    text = TARIFF_TEXT.replace(
        'id = "custom-work"\ntariffs = ["no-support"]\nrule = "per_started_block"',
        'id = "custom-work"\ntariffs = ["no-support"]\nrule = "hourly"',
    )
    text = text.replace('block_minutes = 60\nblock_price = "1250.00"\n', "", 1)
    with pytest.raises(ValueError, match="tariff 'no-support' has no hourly_rate, which rule 'hourly' needs"):
        parse_tariff(text)
