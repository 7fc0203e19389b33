from __future__ import annotations

from rcm_shared.issues import Issue, IssueOut, Severity, has_errors, issue


def test_an_issue_dict_carries_the_severity_as_its_string() -> None:
    assert issue("npi.check_digit", "$.npi", "bad") == {
        "rule": "npi.check_digit", "severity": "error", "path": "$.npi", "message": "bad"}
    assert Issue("a", Severity.WARNING, "$", "m").to_dict()["severity"] == "warning"


def test_has_errors_counts_errors_not_warnings_in_both_shapes() -> None:
    warning = Issue("a", Severity.WARNING, "$", "m")
    error = Issue("b", Severity.ERROR, "$", "m")
    assert not has_errors([])
    assert not has_errors([warning, warning.to_dict()])
    assert has_errors([warning, error])
    assert has_errors([warning.to_dict(), error.to_dict()])


def test_the_response_model_refuses_an_unknown_severity() -> None:
    assert IssueOut.model_validate(issue("a", "$", "m")).severity is Severity.ERROR
    try:
        IssueOut.model_validate({"rule": "a", "severity": "fatal", "path": "$", "message": "m"})
    except ValueError:
        return
    raise AssertionError("an unknown severity was accepted")
