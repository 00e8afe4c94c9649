from cognito_emu.cli import main

raise SystemExit(main())
