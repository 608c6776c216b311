package jsonscan

import (
	"encoding/json"
	"testing"
)

// TestValue: every valid JSON value is passed over to its end, whatever its strings
// hold; a value cut short is not.
func TestValue(t *testing.T) {
	for _, v := range []string{
		`"plain"`, `"quote \" inside"`, `"backslash at the end \\"`, `"\\\\\" still inside"`, `"中文 } ] {"`,
		`{"a":[1,{"b":"]}"}],"c":null}`, `[]`, `{}`, `-12.5e3`, `true`, `null`,
		`[{"x":"\\"},"\"]"]`,
	} {
		if !json.Valid([]byte(v)) {
			t.Fatalf("%s: not JSON (the test is wrong)", v)
		}
		if end, ok := Value([]byte(v+`,"next"`), 0); !ok || end != len(v) {
			t.Errorf("Value(%s) = %d, %v; want %d", v, end, ok, len(v))
		}
		if len(v) > 1 && (v[0] == '"' || v[0] == '{' || v[0] == '[') {
			if _, ok := Value([]byte(v[:len(v)-1]), 0); ok {
				t.Errorf("Value(%s cut short) ended", v)
			}
		}
	}
	if _, ok := Value([]byte(`,`), 0); ok {
		t.Error("an empty value ended")
	}
	if Space([]byte(" \t\r\n x"), 0) != 5 {
		t.Error("Space")
	}
}

// FuzzValue: for any valid JSON, Value finds the end json.Decoder finds; for any
// bytes, it does not panic.
func FuzzValue(f *testing.F) {
	f.Add([]byte(`{"a":"\"}","b":[1,2]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		end, ok := Value(b, Space(b, 0))
		if !json.Valid(b) {
			return
		}
		if !ok || Space(b, end) != len(b) {
			t.Fatalf("Value(%q) = %d, %v on valid JSON", b, end, ok)
		}
	})
}
