"""`planreport excel install|uninstall|diagnose`: put the add-in where Excel loads it, take it away, or say what is missing."""
from __future__ import annotations


def register(sub) -> None:
    parser = sub.add_parser("excel", help="Excel 加载项（Windows）：安装、卸载、诊断",
                            description="安装、卸载或诊断“计划执行报告”Excel 加载项（仅 Windows 版 Excel）。")
    actions = parser.add_subparsers(dest="excel_command", metavar="操作")
    install = actions.add_parser("install", help="把加载项复制到 Excel 启动文件夹（XLSTART）并写入 Python 路径")
    install.add_argument("--addin", help="要安装的 .xlam 文件（默认用安装包自带的 PlanReport.xlam）")
    install.add_argument("--dry-run", action="store_true", help="只列出将复制和写入的内容，不做改动")
    install.set_defaults(func=_install)
    uninstall = actions.add_parser("uninstall", help="从 XLSTART 删除加载项，并从设置文件删除 PlanReport 写入的项")
    uninstall.add_argument("--dry-run", action="store_true", help="只列出将删除的内容，不做改动")
    uninstall.set_defaults(func=_uninstall)
    diagnose = actions.add_parser("diagnose", help="列出 Excel 调用 Python 所需的各项及其状态")
    diagnose.set_defaults(func=_diagnose)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def _print(lines: list[str]) -> int:
    for line in lines:
        print(line)
    return 0


def _install(args) -> int:
    from addin.office.excel_install import install

    return _print(install(args.addin, dry_run=args.dry_run))


def _uninstall(args) -> int:
    from addin.office.excel_install import uninstall

    return _print(uninstall(dry_run=args.dry_run))


def _diagnose(args) -> int:
    from addin.office.excel_install import diagnose, format_checks

    return _print([format_checks(diagnose())])
