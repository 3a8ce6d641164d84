# disko layout of the tricky test host
{ }
