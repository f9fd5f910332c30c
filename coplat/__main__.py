from coplat.cli import main

main()
