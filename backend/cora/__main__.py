from cora.cli import main

main()
