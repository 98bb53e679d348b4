"""A broken tariff file fails with one error naming the file, the key and the problem."""

import re

import pytest

from calculator import DEFAULT_TARIFF_PATH, TariffFileError, default_tariff, load_tariff, parse_tariff

GOOD = DEFAULT_TARIFF_PATH.read_text("utf-8")


def broken(old: str, new: str, count: int = 1) -> str:
    assert old in GOOD, f"test fixture out of date: {old!r} not in tariff.toml"
    return GOOD.replace(old, new, count)


def test_shipped_file_is_valid():
    """The tariff file in the package validates and offers the contract's ids."""
    book = default_tariff()
    assert set(book.tariffs) == {"no-support", "no-service", "se-lower-rate", "se-higher-rate"}
    assert {c.id for c in book.cases_for("no-service")} == {"general-support", "service-case", "critical-support"}
    assert {c.id for c in book.cases_for("se-lower-rate")} == {
        "platform-support",
        "hosting-support",
        "third-party-ticket",
        "module-install",
        "development",
        "advisory",
    }


CASES = [
    ("missing price", ('block_price = "250.00"\n', ""), "case 'service-case'.block_price", "missing price"),
    (
        "negative amount",
        ('block_price = "250.00"', 'block_price = "-250.00"'),
        "case 'service-case'.block_price",
        "negative amount",
    ),
    (
        "amount as float",
        ('ticket_price = "395.00"', "ticket_price = 395.0"),
        "case 'third-party-ticket'.ticket_price",
        "as a string",
    ),
    (
        "unknown rule",
        ('rule = "hourly"', 'rule = "per_minute"'),
        "case 'development'.rule",
        "unknown rule 'per_minute'",
    ),
    ("duplicate id", ('id = "advisory"', 'id = "development"'), "case 'development'.id", "duplicate id"),
    (
        "missing translation",
        ('label.sv = "Större jobb och utveckling"\n', ""),
        "case 'development'.label.sv",
        "missing translation",
    ),
    (
        "unknown tariff",
        ('tariffs = ["no-support"]', 'tariffs = ["no-suport"]'),
        "case 'custom-work'.tariffs",
        "unknown tariff 'no-suport'",
    ),
    ("misspelt key", ("block_minutes = 15", "blok_minutes = 15"), "case 'service-case'.blok_minutes", "unknown key"),
    (
        "zero minutes",
        ("block_minutes = 15", "block_minutes = 0"),
        "case 'service-case'.block_minutes",
        "more than zero",
    ),
    (
        "unknown note",
        ('notes = ["attack-exception"]', 'notes = ["attack-exeption"]'),
        "case 'hosting-support'.notes",
        "unknown note",
    ),
    (
        "hourly rule without a rate",
        ('hourly_rate = "796.00"\n', ""),
        "case 'third-party-ticket'.tariffs",
        "no hourly_rate",
    ),
    (
        "unknown placeholder",
        ("minst {block_price} eks. mva.", "minst {blok_price} eks. mva."),
        "note 'billed-per-started-hour'.text.nb",
        "{blok_price}",
    ),
    ("bad VAT rate", ('vat_rate = "0.25"', 'vat_rate = "25"'), "tariff 'no-support'.vat_rate", "fraction"),
    ("unknown currency", ('currency = "NOK"', 'currency = "EUR"'), "tariff 'no-support'.currency", "'EUR'"),
    ("syntax error", ("[[tariff]]", "[[tariff]"), "(syntax)", ""),
]


@pytest.mark.parametrize(("old_new", "key", "problem"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_broken_file_names_key_and_problem(old_new, key, problem, tmp_path):
    """Each kind of staff mistake gives one message with the file, the key and the problem."""
    path = tmp_path / "tariff.toml"
    path.write_text(broken(*old_new), "utf-8")
    with pytest.raises(TariffFileError) as caught:
        load_tariff(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {key}"), message
    assert problem in message


def test_missing_file_is_named(tmp_path):
    with pytest.raises(TariffFileError, match=re.escape(str(tmp_path / "nope.toml"))):
        load_tariff(tmp_path / "nope.toml")


def test_engine_notes_are_required():
    """The calculator's own notes must have texts in the file."""
    text = re.sub(r'\[\[note\]\]\nid = "from-price-is-minimum"\n(text\.\w\w = .*\n)+', "", GOOD)
    with pytest.raises(TariffFileError, match="note 'from-price-is-minimum': missing"):
        parse_tariff(text)


def test_objects_are_frozen():
    book = default_tariff()
    with pytest.raises(AttributeError):
        book.tariffs["no-service"].currency = "SEK"


# Strict checks (issue 14): each kind of mistake that used to pass gives one named error.
STRICT = [
    ("amount with trailing newline", ('block_price = "250.00"', 'block_price = "250.00\\n"'), "block_price", "amount"),
    ("amount in Arabic-Indic digits", ('block_price = "250.00"', 'block_price = "٢٥٠.00"'), "block_price", "0-9"),
    ("amount too long", ('block_price = "250.00"', 'block_price = "1' + "0" * 40 + '"'), "block_price", "nine"),
    ("id with trailing newline", ('id = "service-case"', 'id = "service-case\\n"'), "[", "not an id"),
    ("id in fullwidth digits", ('id = "service-case"', 'id = "service-case１"'), "[", "not an id"),
    ("id too long", ('id = "service-case"', 'id = "' + "a" * 65 + '"'), "[", "at most 64"),
    ("VAT rate with newline", ('vat_rate = "0.25"', 'vat_rate = "0.25\\n"'), "vat_rate", "fraction"),
    (
        "format spec in a placeholder",
        ("minst {block_price} eks. mva.", "minst {block_price:>200000} eks. mva."),
        "note 'billed-per-started-hour'.text.nb",
        "no format spec",
    ),
    (
        "conversion in a placeholder",
        ("minst {block_price} eks. mva.", "minst {block_price!r} eks. mva."),
        "note 'billed-per-started-hour'.text.nb",
        "no format spec",
    ),
    (
        "attribute in a placeholder",
        ("minst {block_price} eks. mva.", "minst {block_price.__class__} eks. mva."),
        "note 'billed-per-started-hour'.text.nb",
        "not a placeholder",
    ),
    (
        "unbalanced brace in a tariff label",
        ('label.en = "Norway – service agreement"', 'label.en = "Norway – service { agreement"'),
        "tariff 'no-service'.label.en",
        "unbalanced '{'",
    ),
    (
        "unbalanced closing brace in a note",
        ("minst {block_price} eks. mva.", "minst {block_price}} eks. mva."),
        "note 'billed-per-started-hour'.text.nb",
        "unbalanced '}'",
    ),
    (
        "brace in a case label",
        ('unit.en = "started hour"', 'unit.en = "started {hour}"'),
        "case '",
        "takes no {placeholders}",
    ),
    (
        "label too long",
        ('label.en = "Norway – service agreement"', 'label.en = "' + "x" * 161 + '"'),
        "tariff 'no-service'.label.en",
        "the limit is 160",
    ),
    (
        "newline and heading in a label",
        ('label.en = "Norway – service agreement"', 'label.en = "Norway\\n# Heading"'),
        "tariff 'no-service'.label.en",
        "U+000A",
    ),
    (
        "bidirectional override in a label",
        ('label.en = "Norway – service agreement"', 'label.en = "Norway \\u202e tnemeerga"'),
        "tariff 'no-service'.label.en",
        "U+202E",
    ),
]


@pytest.mark.parametrize(("old_new", "key", "problem"), [c[1:] for c in STRICT], ids=[c[0] for c in STRICT])
def test_strict_file_checks_name_key_and_problem(old_new, key, problem, tmp_path):
    """ASCII-only anchored ids and amounts, plain {name} placeholders, balanced braces, one-line texts."""
    path = tmp_path / "tariff.toml"
    path.write_text(broken(*old_new), "utf-8")
    with pytest.raises(TariffFileError) as caught:
        load_tariff(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    assert key in message and problem in message, message
    assert "\n" not in message  # the bad value is shown escaped, not raw


def test_placeholders_refuses_what_format_would_misread():
    from calculator.tariff import placeholders

    assert placeholders("at least {block_price}, {{literal}}") == {"block_price"}
    for bad in ("{", "a}", "{x:>9}", "{0}", "{x!s}", "{x[0]}"):
        with pytest.raises(ValueError):
            placeholders(bad)
