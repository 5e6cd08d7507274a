"""`planreport excel install|diagnose`: put the add-in where Excel loads it, or say what is missing."""
from __future__ import annotations


def register(sub) -> None:
    parser = sub.add_parser("excel", help="Excel 加载项：安装、诊断", description="安装或诊断“计划执行报告”Excel 加载项。")
    actions = parser.add_subparsers(dest="excel_command", metavar="操作")
    install = actions.add_parser("install", help="把加载项复制到 Excel 启动文件夹（XLSTART）并写入 Python 路径")
    install.add_argument("--addin", help="要安装的 .xlam 文件（默认 dist/PlanReport.xlam，没有时现场构建）")
    install.set_defaults(func=_install)
    diagnose = actions.add_parser("diagnose", help="列出 Excel 调用 Python 所需的各项及其状态")
    diagnose.set_defaults(func=_diagnose)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def _install(args) -> int:
    from addin.office.excel_install import install

    for line in install(args.addin):
        print(line)
    return 0


def _diagnose(args) -> int:
    from addin.office.excel_install import diagnose, format_checks

    print(format_checks(diagnose()))
    return 0
