"""Errors a user can act on: the CLI prints the message as one line and exits 2."""


class PlanReportError(Exception):
    """The workbook (or another input) cannot be used at all.

    The message is shown to the statistician as is, so it is Chinese and names
    the file or cell (``附件1!D7: ...``).
    """

    exit_code = 2


class WorkbookBusyError(PlanReportError):
    """Excel or another refresh holds the workbook."""
