"""Errors a user can act on: the CLI prints the message as one line and exits 2."""


class PlanReportError(Exception):
    """The workbook (or another input) cannot be used at all.

    The message is shown to the statistician as is, so it is Chinese and names
    the file or cell (``附件1!D7: ...``).
    """

    exit_code = 2


class WorkbookBusyError(PlanReportError):
    """Excel or another refresh holds the workbook."""


class FileInUseError(PlanReportError):
    """A report file another program holds open (Word keeps the .docx it shows locked)."""

    def __init__(self, path):
        self.path = path
        super().__init__(f"{path}: 报告文件正被占用，无法覆盖；请先关闭 Word 中的报告（或其他打开它的程序）后重试")
