package load

// A Kind is what the top-level fields of an input are: hosts (the argument
// of mkSystem, one per machine) or users (a person and their home). Both
// are read the same way; they differ in the schema definition each field is
// unified with, and in the words messages use.
type Kind struct {
	// Noun names one entry in messages: "host", "user".
	Noun string
	// Def is the schema definition every entry is unified with.
	Def string
	// With is unified with Def for an entry whose key is axcName.
	With string
}

// Kinds of input.
var (
	// Hosts are machines: #Host, the hostname defaulting to the key.
	Hosts = &Kind{Noun: "host", Def: "#Host", With: "{hostname: *axcName | _}"}
	// Users are people: #User, named by their key.
	Users = &Kind{Noun: "user", Def: "#User", With: "{}"}
)

// pattern is the CUE expression every entry is unified with; qualifier
// ("axcschema." or "") says how the schema package is reached.
func (k *Kind) pattern(qualifier string) string {
	return qualifier + k.Def + " & " + k.With
}
