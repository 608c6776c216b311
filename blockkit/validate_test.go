package blockkit

import (
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	text := func(typ, s string) map[string]any { return map[string]any{"type": typ, "text": s} }
	section := func(s string) map[string]any { return map[string]any{"type": "section", "text": text("mrkdwn", s)} }
	btn := func(label, id, value string) map[string]any {
		return map[string]any{"type": "button", "text": text("plain_text", label), "action_id": id, "value": value}
	}
	many := func(n int, b map[string]any) []Block {
		bs := make([]Block, n)
		for i := range bs {
			bs[i] = b
		}
		return bs
	}
	buttons := func(n int) []any {
		es := make([]any, n)
		for i := range es {
			es[i] = btn("b", "a"+strings.Repeat("x", i), "v")
		}
		return es
	}
	ok := Message{Text: "t", Blocks: []Block{section("s")}}
	for _, tc := range []struct {
		name string
		msg  Message
		want string // "" for valid
	}{
		{"OK", ok, ""},
		{"TooManyBlocks", Message{Text: "t", Blocks: many(51, section("s"))}, "51 blocks"},
		{"NoText", Message{Blocks: ok.Blocks}, "text of 0 characters"},
		{"LongText", Message{Text: strings.Repeat("x", 4001), Blocks: ok.Blocks}, "text of 4001"},
		{"LongSection", Message{Text: "t", Blocks: []Block{section(strings.Repeat("字", 3001))}}, "3001 characters"},
		{"EmptySection", Message{Text: "t", Blocks: []Block{section("")}}, "0 characters"},
		{"LongHeader", Message{Text: "t", Blocks: []Block{{"type": "header", "text": text("plain_text", strings.Repeat("x", 151))}}}, "151 characters"},
		{"MrkdwnHeader", Message{Text: "t", Blocks: []Block{{"type": "header", "text": text("mrkdwn", "x")}}}, `text type "mrkdwn"`},
		{"TooManyFields", Message{Text: "t", Blocks: []Block{{"type": "section", "fields": []any{
			text("mrkdwn", "1"), text("mrkdwn", "2"), text("mrkdwn", "3"), text("mrkdwn", "4"), text("mrkdwn", "5"), text("mrkdwn", "6"),
			text("mrkdwn", "7"), text("mrkdwn", "8"), text("mrkdwn", "9"), text("mrkdwn", "10"), text("mrkdwn", "11")}}}}, "11 fields"},
		{"TooManyContext", Message{Text: "t", Blocks: []Block{{"type": "context", "elements": []any{
			text("mrkdwn", "1"), text("mrkdwn", "2"), text("mrkdwn", "3"), text("mrkdwn", "4"), text("mrkdwn", "5"), text("mrkdwn", "6"),
			text("mrkdwn", "7"), text("mrkdwn", "8"), text("mrkdwn", "9"), text("mrkdwn", "10"), text("mrkdwn", "11")}}}}, "11 context elements"},
		{"TooManyActions", Message{Text: "t", Blocks: []Block{{"type": "actions", "elements": buttons(26)}}}, "26 action elements"},
		{"LongButton", Message{Text: "t", Blocks: []Block{{"type": "actions", "elements": []any{btn(strings.Repeat("x", 76), "a", "v")}}}}, "76 characters"},
		{"LongValue", Message{Text: "t", Blocks: []Block{{"type": "actions", "elements": []any{btn("b", "a", strings.Repeat("x", 2001))}}}}, "value"},
		{"LongActionID", Message{Text: "t", Blocks: []Block{{"type": "actions", "elements": []any{btn("b", strings.Repeat("x", 256), "v")}}}}, "256 characters"},
		{"SameActionID", Message{Text: "t", Blocks: []Block{{"type": "actions", "elements": []any{btn("b", "a", "v"), btn("c", "a", "v")}}}}, "used twice"},
		{"SameBlockID", Message{Text: "t", Blocks: []Block{{"type": "divider", "block_id": "x"}, {"type": "divider", "block_id": "x"}}}, "used twice"},
		{"TooMuchText", Message{Text: "t", Blocks: many(5, section(strings.Repeat("x", 2500)))}, "12500 characters of block text"},
		{"UnknownBlock", Message{Text: "t", Blocks: []Block{{"type": "video"}}}, "unexpected block type"},
		{"Unmarshalable", Message{Text: "t", Blocks: []Block{{"type": "divider", "x": func() {}}}}, "unsupported type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate(tc.msg)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Validate = %v; want nil", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Validate = %v; want an error saying %q", err, tc.want)
			}
		})
	}
	if Validate() == nil {
		t.Errorf("Validate() = nil; want an error")
	}
}

// TestValidateView checks a modal against the view limits.
func TestValidateView(t *testing.T) {
	input := Block{"type": "input", "block_id": "title", "label": Plain("标题"), "element": Block{"type": "plain_text_input", "action_id": "title", "max_length": 100}}
	ok := map[string]any{"type": "modal", "title": Plain("报送"), "submit": Plain("提交"), "blocks": []any{input}}
	if err := ValidateView(ok); err != nil {
		t.Fatalf("ValidateView = %v", err)
	}
	files := Block{"type": "input", "block_id": "files", "label": Plain("附件"), "element": Block{"type": "file_input", "action_id": "files", "max_files": 10, "filetypes": []any{"pdf", "ofd"}}}
	if err := ValidateView(map[string]any{"type": "modal", "title": Plain("报送"), "submit": Plain("提交"), "blocks": []any{input, files}}); err != nil {
		t.Fatalf("ValidateView(file_input of 10) = %v", err)
	}
	for _, tc := range []struct {
		name string
		edit func(v map[string]any)
		want string
	}{
		{"LongTitle", func(v map[string]any) { v["title"] = Plain(strings.Repeat("题", 25)) }, "view title"},
		{"NoSubmit", func(v map[string]any) { delete(v, "submit") }, "needs a submit"},
		{"LongMetadata", func(v map[string]any) { v["private_metadata"] = strings.Repeat("x", 3001) }, "private_metadata"},
		{"TooManyBlocks", func(v map[string]any) {
			bs := make([]any, 101)
			for i := range bs {
				bs[i] = Section("x")
			}
			v["blocks"] = bs
		}, "101 blocks"},
		{"BadInputLength", func(v map[string]any) {
			v["blocks"] = []any{Block{"type": "input", "label": Plain("x"), "element": Block{"type": "plain_text_input", "action_id": "a", "max_length": 5000}}}
		}, "max_length"},
		{"FileInputMaxFilesOver10", func(v map[string]any) {
			v["blocks"] = []any{Block{"type": "input", "label": Plain("附件"), "element": Block{"type": "file_input", "action_id": "files", "max_files": 11}}}
		}, "max_files: 11 not in 1..10"},
		{"FileInputMaxFilesZero", func(v map[string]any) {
			v["blocks"] = []any{Block{"type": "input", "label": Plain("附件"), "element": Block{"type": "file_input", "action_id": "files", "max_files": 0}}}
		}, "max_files: 0 not in 1..10"},
		{"FileInputEmptyType", func(v map[string]any) {
			v["blocks"] = []any{Block{"type": "input", "label": Plain("附件"), "element": Block{"type": "file_input", "action_id": "files", "filetypes": []any{"pdf", ""}}}}
		}, "filetypes[1]"},
		{"TooManyCheckboxes", func(v map[string]any) {
			var os []any
			for range 11 {
				os = append(os, Block{"text": Plain("x"), "value": "v"})
			}
			v["blocks"] = []any{Block{"type": "input", "label": Plain("x"), "element": Block{"type": "checkboxes", "action_id": "a", "options": os}}}
		}, "11 options"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := map[string]any{}
			for k, x := range ok {
				v[k] = x
			}
			tc.edit(v)
			if err := ValidateView(v); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ValidateView = %v; want an error saying %q", err, tc.want)
			}
		})
	}
}

// TestEscape: the one rule for user text in mrkdwn.
func TestEscape(t *testing.T) {
	if got, want := Escape("<!channel> *bold* _it_ ~s~ `c` & <@U1|x>"), "&lt;!channel&gt; ＊bold＊ ＿it＿ ～s～ ｀c｀ &amp; &lt;@U1|x&gt;"; got != want {
		t.Errorf("Escape = %q; want %q", got, want)
	}
}
