from sujarit.manage import main

main()
