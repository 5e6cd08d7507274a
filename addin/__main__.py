from addin.cli import console_main

console_main()
