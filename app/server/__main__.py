from app.server.cli import main

raise SystemExit(main())
