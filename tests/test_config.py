"""netjournal.toml: defaults, every setting, unknown keys warned, bad values named, parse errors lined."""
from netjournal.config import Config, parse_config


def test_defaults_without_a_file(tmp_path):
    from netjournal.config import load_config
    assert load_config(tmp_path) == (Config(), [])


def test_every_setting():
    config, findings = parse_config("""
[journal]
owner = "Sam"
title = "Sam's network"
[cadence]
default = "60d"
[cadence.tags]
Mentor = "2w"
alumni = "none"
[reciprocity]
window = "6m"
threshold = 2
grace = "14d"
narrow_after = 3
[follow_ups]
soon = "3d"
[site]
output = "public"
[checks]
ignore = ["narrow-topics"]
""")
    assert findings == []
    assert config == Config(owner="Sam", title="Sam's network", default_cadence=60,
                            tag_cadences=(("mentor", 14), ("alumni", 0)), reciprocity_window=180,
                            reciprocity_threshold=2, favour_grace=14, narrow_after=3, due_soon=3,
                            site_output="public", ignore_codes=frozenset({"narrow-topics"}))


def test_all_problems_in_one_pass():
    config, findings = parse_config('[cadence]\ndefault = "often"\ncolour = "red"\n[reciprocity]\n'
                                    'threshold = -1\n[cadence.tags]\nmentor = "x"\n[nonsense]\na = 1\n')
    assert [(f.code, f.line) for f in findings] == [
        ("config-invalid", 2), ("config-unknown-key", 3), ("config-invalid", 7),
        ("config-invalid", 5), ("config-unknown-key", 8)]
    assert "cadence.default" in findings[0].message
    assert config.default_cadence == 90 and config.reciprocity_threshold == 3


def test_parse_error_has_a_line():
    _, (finding,) = parse_config('[journal]\nowner = "unterminated\n')
    assert finding.code == "config-invalid" and finding.line == 2
