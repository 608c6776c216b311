package config

import (
	"regexp"
	"strings"
	"testing"
)

var problemLine = regexp.MustCompile(`^f\.yaml:\d+: `)

// FuzzParseConfig: any file either parses or is refused with every problem on its own
// line, naming the file and a line number; nothing panics.
func FuzzParse(f *testing.F) {
	f.Add([]byte(exampleYAML))
	f.Add([]byte(briefingBase))
	f.Add([]byte("organisation: x\nmembers: [a]\n"))
	f.Add([]byte("\t- bad"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Parse(data, "f.yaml")
		if err == nil {
			return
		}
		for _, line := range strings.Split(both(err), "\n") {
			if line = strings.TrimSpace(line); line != "" && !problemLine.MatchString(line) && !strings.Contains(line, " / ") {
				t.Fatalf("problem without file and line: %q", line)
			}
		}
	})
}
