from addin.cli import main

raise SystemExit(main())
