module axc.dev/axc

go 1.26.8

require cuelang.org/go v0.17.1

require (
	github.com/cockroachdb/apd/v3 v3.2.3 // indirect
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/rogpeppe/go-internal v1.16.0 // indirect
	github.com/spf13/cobra v1.10.2 // indirect
	github.com/spf13/pflag v1.0.10 // indirect
)
