from undersea.cli import main

main()
