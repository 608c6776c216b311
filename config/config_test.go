package config

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/briefings"
)

// cfgBase is the smallest valid config; the refusal cases are edits of it. Its lines:
//
//	1  organisation     6  - id: qian       11 committees:      16 departments:
//	2  members:         7      name         12 - id: party      17 - id: criminal
//	3  - id: zhao       8      slack        13     name         18     name
//	4      name         9  - id: zhou       14     leaders      19     principal
//	5      slack        10     name         15     clerks
const cfgBase = `organisation: 测试法院
members:
  - id: zhao
    name: 赵书记
    slack: U0000001
  - id: qian
    name: 钱主任
    slack: U0000002
  - id: zhou
    name: 周庭长
committees:
  - id: party
    name: 党组
    leaders: [zhao]
    clerks: [qian]
departments:
  - id: criminal
    name: 刑事审判庭
    principal: zhou
`

// edit returns cfgBase with each old string replaced by the new one that follows it.
// It panics if an old string is not there, so a fixture cannot silently stop testing.
func edit(pairs ...string) string {
	s := cfgBase
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			panic(fmt.Sprintf("fixture: %q not in cfgBase", pairs[i]))
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

// configProblems returns the ZH and EN lines of a config error, checking its shape:
// an EINVALID "config" *briefbot.Error with one "name:line: " line per problem in each
// language.
func configProblems(t *testing.T, err error, name string) (zh, en []string) {
	t.Helper()
	var e *briefbot.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v (%T), want *briefbot.Error", err, err)
	}
	if e.Code != briefbot.EINVALID || e.Reason != "config" {
		t.Fatalf("code, reason = %q, %q; want %q, %q", e.Code, e.Reason, briefbot.EINVALID, "config")
	}
	zh, en = strings.Split(e.Msg.ZH, "\n"), strings.Split(e.Msg.EN, "\n")
	if len(zh) != len(en) {
		t.Fatalf("%d Chinese lines but %d English ones:\n%s\n%s", len(zh), len(en), e.Msg.ZH, e.Msg.EN)
	}
	prefix := regexp.MustCompile(`^` + regexp.QuoteMeta(name) + `:(\d+): \S`)
	for i := range zh {
		pz, pe := prefix.FindStringSubmatch(zh[i]), prefix.FindStringSubmatch(en[i])
		if pz == nil || pe == nil || pz[1] != pe[1] {
			t.Fatalf("problem %d is not prefixed %q with the same line in both languages:\n%s\n%s", i, name+":LINE: ", zh[i], en[i])
		}
		if !regexp.MustCompile(`\p{Han}`).MatchString(zh[i]) {
			t.Errorf("Chinese line has no Chinese: %s", zh[i])
		}
	}
	return zh, en
}

func TestParseConfig_Refusals(t *testing.T) {
	const moreCommittee = "    clerks: [qian]\n"
	const moreDept = "    principal: zhou\n"
	tests := []struct {
		name   string
		yaml   string
		line   int
		phrase string // in the English line for that line
		n      int    // problems expected in all
	}{
		// YAML syntax.
		{"ErrSyntaxTab", edit("    name: 党组", "\tname: 党组"), 13, "YAML syntax error: found a tab character that violates indentation", 1},
		{"ErrSyntaxTabIndent", edit("  - id: zhou", "\t- id: zhou"), 9, "YAML syntax error: found a tab character", 1},
		{"ErrSyntaxIndent", edit("    name: 周庭长", "   name: 周庭长"), 10, "YAML syntax error", 1},
		{"ErrSyntaxUnclosedQuote", edit("name: 刑事审判庭", `name: "刑事审判庭`), 18, "YAML syntax error", 1},
		{"ErrSyntaxUnclosedList", edit("leaders: [zhao]", "leaders: [zhao,"), 14, "YAML syntax error", 1},
		{"ErrSyntaxStrayItem", edit("committees:\n", "committees:\n- x\n  y: z\n"), 13, "YAML syntax error", 1},
		{"ErrUnknownAnchor", edit("principal: zhou", "principal: *boss"), 19, "unknown anchor 'boss'", 1},
		{"ErrEmpty", "", 1, "the file is empty", 1},
		{"ErrOnlyDocumentStart", "---\n", 1, "the file is empty", 1},
		{"ErrOnlyComments", "# nothing here\n", 1, "the file is empty", 1},
		{"ErrTwoDocuments", cfgBase + "---\norganisation: 另一个\n", 20, "only one YAML document", 1},
		{"ErrTopNotMapping", "- organisation: x\n", 1, "the top level must be a mapping", 1},

		// Unknown keys and wrong types.
		{"ErrUnknownField", edit("leaders: [zhao]", "leaderz: [zhao]"), 14, `unknown field "leaderz" in committee "party"; known fields: id, name`, 2},
		{"ErrUnknownTopField", edit("members:", "timezone: Asia/Shanghai\nmembers:"), 2, `unknown top-level field "timezone"`, 1},
		{"ErrUnknownMemberField", edit("    name: 钱主任\n", "    name: 钱主任\n    email: qian@example.org\n"), 8, `unknown field "email" in member "qian"`, 1},
		{"ErrUnknownDepartmentField", cfgBase + "    signatory: zhou\n", 20, `unknown field "signatory" in department "criminal"`, 1},
		{"ErrUnknownIntakeField", cfgBase + "intake:\n  max_titel: 50\n", 21, `unknown field "max_titel" in intake`, 1},
		{"ErrDuplicateKey", edit("    name: 党组\n", "    name: 党组\n    name: 党委\n"), 14, "field name is given twice (first on line 13)", 1},
		{"ErrListIsString", edit("leaders: [zhao]", "leaders: zhao"), 14, `committee "party": leaders must be a list (e.g. [a, b]), not the single value "zhao"`, 1},
		{"ErrSectionIsString", edit("departments:\n  - id: criminal\n    name: 刑事审判庭\n    principal: zhou\n", "departments: criminal\n"), 16, "departments must be a list", 1},
		{"ErrEntryNotMapping", edit("  - id: zhou\n    name: 周庭长\n", "  - zhou\n"), 9, "member #3: must be a mapping", 2},
		{"ErrTextIsList", edit("name: 党组", "name: [党组]"), 13, `committee "party": name must be a single value, not a list`, 1},
		{"ErrListEntryIsList", edit("clerks: [qian]", "clerks: [[qian]]"), 15, "each entry of clerks must be a single value", 1},
		{"ErrAdminNotBool", edit("    slack: U0000002\n", "    slack: U0000002\n    admin: maybe\n"), 9, `member "qian": admin must be true or false`, 1},
		{"ErrIntakeSectionIsList", cfgBase + "intake: [max_title]\n", 20, "intake must be a mapping", 1},

		// Organisation, committees, departments.
		{"ErrOrganisationMissing", edit("organisation: 测试法院\n", "language: zh\n"), 1, "organisation (the name of the organisation) is required", 1},
		{"ErrOrganisationEmpty", edit("organisation: 测试法院", "organisation: ''"), 1, "organisation (the name of the organisation) must not be empty", 1},
		{"ErrCommitteesMissing", edit("committees:\n  - id: party\n    name: 党组\n    leaders: [zhao]\n    clerks: [qian]\n", ""), 1, "at least one committee is required under committees", 1},
		{"ErrCommitteesEmpty", edit("committees:\n  - id: party\n    name: 党组\n    leaders: [zhao]\n    clerks: [qian]\n", "committees: []\n"), 11, "at least one committee is required under committees", 1},
		{"ErrDepartmentsEmpty", edit("departments:\n  - id: criminal\n    name: 刑事审判庭\n    principal: zhou\n", "departments:\n"), 16, "at least one department is required under departments", 1},
		{"ErrCommitteeNameMissing", edit("    name: 党组\n", ""), 12, `committee "party": name is required`, 1},
		{"ErrDepartmentNameEmpty", edit("name: 刑事审判庭", "name: ' '"), 18, `department "criminal": name must not be empty`, 1},

		// Ids.
		{"ErrMemberIDMissing", edit("  - id: zhou\n    name: 周庭长\n", "  - name: 周庭长\n"), 9, "member #3: id is required", 2},
		{"ErrMemberIDEmpty", edit("  - id: zhou\n", "  - id:\n"), 9, "member #3: id must not be empty", 2},
		{"ErrMemberIDMalformed", edit("  - id: zhou\n", "  - id: Zhou Li\n"), 9, `member #3: id "Zhou Li" is not well-formed`, 2},
		{"ErrMemberIDTooLong", edit("  - id: zhou\n", "  - id: "+strings.Repeat("z", 65)+"\n"), 9, "at most 64", 2},
		{"ErrMemberIDDuplicate", edit("  - id: qian\n", "  - id: zhao\n"), 6, `member "zhao": member id "zhao" is used twice (first on line 3)`, 2},
		{"ErrCommitteeIDMalformed", edit("  - id: party\n", "  - id: 党组\n"), 12, `committee #1: id "党组" is not well-formed`, 1},
		{"ErrCommitteeIDDuplicate", edit(moreCommittee, moreCommittee+"  - id: party\n    name: 党委\n    leaders: [zhao]\n    clerks: [qian]\n"), 16, `committee id "party" is used twice (first on line 12)`, 1},
		{"ErrDepartmentIDDuplicate", cfgBase + "  - id: criminal\n    name: 刑二庭\n    principal: zhou\n", 20, `department id "criminal" is used twice (first on line 17)`, 1},
		{"ErrDepartmentIDIsCommittee", edit("  - id: criminal\n", "  - id: party\n"), 17, `department id "party" is already a committee's id (line 12)`, 1},

		// References to members.
		{"ErrLeaderNotMember", edit("leaders: [zhao]", "leaders: [nobody]"), 14, `committee "party": leader "nobody" is not a member`, 1},
		{"ErrClerkNotMember", edit("clerks: [qian]", "clerks:\n      - qian\n      - nobody"), 17, `committee "party": clerk "nobody" is not a member`, 1},
		{"ErrPrincipalNotMember", edit("principal: zhou", "principal: nobody"), 19, `department "criminal": principal "nobody" is not a member`, 1},
		{"ErrHeadNotMember", edit(moreDept, moreDept+"    heads: [zhao, nobody]\n"), 20, `department "criminal": head "nobody" is not a member`, 1},
		{"ErrDepartmentMemberNotMember", edit(moreDept, moreDept+"    members: [nobody]\n"), 20, `department "criminal": member "nobody" is not a member`, 1},
		{"ErrListedTwice", edit(moreDept, moreDept+"    heads: [zhao, zhao]\n"), 20, `"zhao" is listed twice in heads`, 1},
		{"ErrEmptyListEntry", edit(moreDept, moreDept+"    heads: ['']\n"), 20, "heads has an empty entry", 1},

		// Roles.
		{"ErrNoLeader", edit("leaders: [zhao]", "leaders: []"), 14, `committee "party": at least one leader is required`, 1},
		{"ErrLeadersMissing", edit("    leaders: [zhao]\n", ""), 12, `committee "party": at least one leader is required`, 1},
		{"ErrNoClerk", edit("clerks: [qian]", "clerks:"), 15, `committee "party": at least one clerk is required`, 1},
		{"ErrPrincipalMissing", edit("    principal: zhou\n", ""), 17, `department "criminal": principal is required`, 1},
		{"ErrPrincipalEmpty", edit("principal: zhou", "principal: ''"), 19, `department "criminal": principal must not be empty`, 1},

		// Slack ids.
		{"ErrSlackMalformed", edit("slack: U0000002", "slack: u0000002"), 8, `member "qian": slack "u0000002" is not a Slack user id`, 1},
		{"ErrSlackChannelID", edit("slack: U0000002", "slack: C0000002"), 8, "is not a Slack user id", 1},
		{"ErrSlackDuplicate", edit("slack: U0000002", "slack: U0000001"), 8, `slack id "U0000001" is already used by member "zhao" (line 5)`, 1},
		{"ErrChannelMalformed", edit("    name: 党组\n", "    name: 党组\n    channel: general\n"), 14, `committee "party": channel "general" is not a Slack channel id`, 1},
		{"ErrChannelIsUser", edit("    name: 党组\n", "    name: 党组\n    channel: U0000001\n"), 14, "is not a Slack channel id", 1},

		// Language and command.
		{"ErrLanguage", edit("members:", "language: fr\nmembers:"), 2, `language must be zh or en, not "fr"`, 1},
		{"ErrMemberLang", edit("    name: 周庭长\n", "    name: 周庭长\n    lang: english\n"), 11, `member "zhou": lang must be zh or en, not "english"`, 1},
		{"ErrCommandNoSlash", edit("members:", "command: matter\nmembers:"), 2, `command "matter" must be "/" followed by 2 to 32`, 1},
		{"ErrCommandTooShort", edit("members:", "command: /m\nmembers:"), 2, `command "/m" must be`, 1},
		{"ErrCommandTooLong", edit("members:", "command: /"+strings.Repeat("m", 33)+"\nmembers:"), 2, "must be \"/\" followed by 2 to 32", 1},
		{"ErrCommandUpperCase", edit("members:", "command: /Matter\nmembers:"), 2, `command "/Matter" must be`, 1},

		// Intake numbers.
		{"ErrIntakeZero", cfgBase + "intake:\n  max_title: 0\n", 21, `intake: max_title must be a positive whole number, not the single value "0"`, 1},
		{"ErrIntakeNegative", cfgBase + "intake:\n  max_copied: -1\n", 21, "max_copied must be a positive whole number", 1},
		{"ErrIntakeNotNumber", cfgBase + "intake:\n  max_body: lots\n", 21, "max_body must be a positive whole number", 1},
		{"ErrIntakeFraction", cfgBase + "intake:\n  max_field: 1.5\n", 21, "max_field must be a positive whole number", 1},
		{"ErrIntakeBool", cfgBase + "intake:\n  allow_level_skip: sometimes\n", 21, "allow_level_skip must be true or false", 1},
		{"ErrIntakeCategoriesString", cfgBase + "intake:\n  categories: 重大案件\n", 21, "categories must be a list", 1},

		// Sign-off.
		{"ErrFileTypesString", cfgBase + "intake:\n  file_types: pdf\n", 21, "file_types must be a list", 1},
		{"ErrFileTypePath", cfgBase + "intake:\n  file_types: [pdf, ../exe]\n", 21, `"../exe" in file_types is not a file type`, 1},
		{"ErrMaxFileSizeZero", cfgBase + "intake:\n  max_file_size: 0\n", 21, "max_file_size must be a positive whole number", 1},
		{"ErrMaxFileSizeHuge", cfgBase + "intake:\n  max_file_size: 5000\n", 21, "max_file_size is in MB, at most 1024", 1},
		{"ErrMaxFilesText", cfgBase + "intake:\n  max_files: many\n", 21, "max_files must be a positive whole number", 1},
		{"ErrSignOffBool", cfgBase + "intake:\n  sign_off:\n    off: maybe\n", 22, "off must be true or false", 1},
		{"ErrSignOffNotMapping", cfgBase + "intake:\n  sign_off: off\n", 21, "sign_off must be a mapping", 1},
		{"ErrDelegateNotHead", edit(moreDept, moreDept+"    sign_off_delegates:\n      - member: zhao\n"), 21, `sign-off may be delegated only to another head of the department (heads:); "zhao" is not one`, 1},
		{"ErrDelegatePrincipal", edit(moreDept, moreDept+"    sign_off_delegates:\n      - member: zhou\n"), 21, "only to another head", 1},
		{"ErrDelegateDate", edit(moreDept, moreDept+"    heads: [qian]\n    sign_off_delegates:\n      - member: qian\n        until: soon\n"), 23, `until "soon" is not a date`, 1},
		{"ErrDelegateBackwards", edit(moreDept, moreDept+"    heads: [qian]\n    sign_off_delegates:\n      - member: qian\n        from: 2026-12-31\n        until: 2026-12-01\n"), 22, "until is before its from", 1},
		{"ErrDelegateNoMember", edit(moreDept, moreDept+"    heads: [qian]\n    sign_off_delegates:\n      - until: 2026-12-01\n"), 22, "a sign-off delegate needs member:", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.yaml), "org.yaml")
			if err == nil {
				t.Fatalf("parsed without error: %+v", c)
			}
			if c != nil {
				t.Errorf("got a config with the error")
			}
			zh, en := configProblems(t, err, "org.yaml")
			want := fmt.Sprintf("org.yaml:%d: ", tt.line)
			found := false
			for i, l := range en {
				if strings.HasPrefix(l, want) && strings.Contains(l, tt.phrase) {
					found = true
					if !strings.HasPrefix(zh[i], want) {
						t.Errorf("Chinese line %q does not match English %q", zh[i], l)
					}
				}
			}
			if !found {
				t.Errorf("no problem %q%s...; got:\n%s", want, tt.phrase, strings.Join(en, "\n"))
			}
			if len(en) != tt.n {
				t.Errorf("%d problems, want %d:\n%s", len(en), tt.n, strings.Join(en, "\n"))
			}
		})
	}
}

// TestParseConfig_EveryProblem: one file with many problems reports all of them, in
// line order, in both languages.
func TestParseConfig_EveryProblem(t *testing.T) {
	_, err := Load(filepath.Join("testdata", "several.yaml"))
	name := filepath.Join("testdata", "several.yaml")
	zh, en := configProblems(t, err, name)
	want := []string{
		name + `:3: language must be zh or en, not "cn"`,
		name + `:4: command "matter" must be "/" followed by 2 to 32 of a-z, 0-9, "_" and "-", e.g. /matter`,
		name + `:9: member "qian": slack "qian" is not a Slack user id (U or W followed by upper-case letters and digits, e.g. U0123ABCD)`,
		name + `:11: member "zhao": member id "zhao" is used twice (first on line 6)`,
		name + `:13: committee "party": at least one leader is required (leaders:)`,
		name + `:15: unknown field "leaderz" in committee "party"; known fields: id, name, name_en, office, channel, leaders, clerks, audience, briefing`,
		name + `:17: committee "party": clerk "nobody" is not a member`,
		name + `:19: department "civil": name is required`,
		name + `:20: department "civil": principal "nobody" is not a member`,
		name + `:21: department "civil": head "zheng" is not a member`,
		name + `:22: department #2: id is required`,
		name + `:22: department #2: principal is required: the department's principal leader, its only signatory`,
		name + `:24: intake: max_title must be a positive whole number, not the single value "0"`,
	}
	if !reflect.DeepEqual(en, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(en, "\n"), strings.Join(want, "\n"))
	}
	if len(zh) > 5 && zh[5] != name+`:15: 委员会 "party" 中有未知字段 "leaderz"；可用字段：id, name, name_en, office, channel, leaders, clerks, audience, briefing` {
		t.Errorf("Chinese problem = %q", zh[5])
	}
	if len(zh) > 8 && zh[8] != name+`:20: 部门 "civil"：主要负责人（principal）"nobody" 不是成员：members 中没有这个 id` {
		t.Errorf("Chinese problem = %q", zh[8])
	}
}

func TestParseConfig_Values(t *testing.T) {
	src := edit(
		"organisation: 测试法院\n", "organisation: 测试法院\nlanguage: en\ncommand: /shixiang\n",
		"    name: 周庭长\n", "    name: 周庭长\n    lang: zh\n    admin: true\n",
		"    name: 党组\n", "    name: 党组\n    name_en: Party Group\n    office: 办公室\n    channel: G0000001\n",
	) + "    name_en: Criminal Division\n    heads: [zhao]\n    members: [qian]\n" +
		"intake:\n  max_title: 50\n  allow_level_skip: true\n  categories: []\n"
	c, err := Parse([]byte(src), "org.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Source != "org.yaml" || c.Rules.Org.Name != "测试法院" || c.Rules.Lang != briefbot.LangEN || c.Command != "/shixiang" {
		t.Errorf("source, name, lang, command = %q, %q, %q, %q", c.Source, c.Rules.Org.Name, c.Rules.Lang, c.Command)
	}
	zhao, _ := c.Rules.Org.Member("zhao")
	zhou, _ := c.Rules.Org.Member("zhou")
	if *zhao != (briefbot.Member{ID: "zhao", Name: "赵书记", SlackID: "U0000001", Lang: briefbot.LangEN}) {
		t.Errorf("zhao = %+v (members without lang take the file's language)", *zhao)
	}
	if *zhou != (briefbot.Member{ID: "zhou", Name: "周庭长", Lang: briefbot.LangZH, Admin: true}) {
		t.Errorf("zhou = %+v", *zhou)
	}
	wantC := briefbot.Committee{ID: "party", Name: "党组", NameEN: "Party Group", Office: "办公室", Channel: "G0000001",
		Leaders: []briefbot.MemberID{"zhao"}, Clerks: []briefbot.MemberID{"qian"}}
	if !reflect.DeepEqual(c.Rules.Org.Committees, []briefbot.Committee{wantC}) {
		t.Errorf("committees = %+v", c.Rules.Org.Committees)
	}
	wantD := briefbot.Department{ID: "criminal", Name: "刑事审判庭", NameEN: "Criminal Division", Principal: "zhou",
		Heads: []briefbot.MemberID{"zhao"}, Members: []briefbot.MemberID{"qian"}}
	if !reflect.DeepEqual(c.Rules.Org.Departments, []briefbot.Department{wantD}) {
		t.Errorf("departments = %+v", c.Rules.Org.Departments)
	}
	wantI := briefbot.DefaultIntakeRules()
	wantI.MaxTitle, wantI.AllowLevelSkip, wantI.Categories = 50, true, []string{}
	if !reflect.DeepEqual(c.Rules.Intake, wantI) {
		t.Errorf("intake = %+v, want the defaults with the file's overrides %+v", c.Rules.Intake, wantI)
	}
}

func TestParseConfig_Files(t *testing.T) {
	c, err := Parse([]byte(cfgBase+"intake:\n  file_types: [PDF, .ofd, pdf]\n  max_file_size: 5\n  max_files: 3\n"), "org.yaml")
	if err != nil {
		t.Fatal(err)
	}
	in := c.Rules.Intake
	if !reflect.DeepEqual(in.FileTypes, []string{"pdf", "ofd"}) || in.MaxFileSize != 5<<20 || in.MaxFiles != 3 || !in.FilesOn() {
		t.Errorf("file_types, max_file_size, max_files = %v, %d, %d; want [pdf ofd], 5 MB, 3", in.FileTypes, in.MaxFileSize, in.MaxFiles)
	}
	c, err = Parse([]byte(cfgBase+"intake:\n  file_types: []\n"), "org.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Rules.Intake.FilesOn() {
		t.Errorf("file_types: [] leaves files on: %v", c.Rules.Intake.FileTypes)
	}
	if d := briefbot.DefaultIntakeRules(); !d.FilesOn() || d.MaxFileSize != 20<<20 || !slices.Contains(d.FileTypes, "ofd") {
		t.Errorf("default files rules = %v, %d", d.FileTypes, d.MaxFileSize)
	}
}

func TestParseConfig_Defaults(t *testing.T) {
	c, err := Parse([]byte(cfgBase), "org.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Rules.Lang != briefbot.LangZH || c.Command != "/matter" || !reflect.DeepEqual(c.Rules.Intake, briefbot.DefaultIntakeRules()) {
		t.Errorf("lang, command, intake = %q, %q, %+v", c.Rules.Lang, c.Command, c.Rules.Intake)
	}
	for _, m := range c.Rules.Org.Members {
		if m.Lang != briefbot.LangZH {
			t.Errorf("member %s lang = %q, want zh", m.ID, m.Lang)
		}
	}
}

func TestExampleConfig(t *testing.T) {
	// Parse the embedded bytes directly too, so a broken example fails here with its
	// problems rather than as a panic.
	if _, err := Parse(exampleYAML, "example.yaml"); err != nil {
		t.Fatalf("example.yaml is invalid: %v", briefbot.ErrorMessage(err, briefbot.LangEN))
	}
	c := Example()
	if c.Source != "built-in example" || c.Rules.Org.Name != "某市中级人民法院" || c.Rules.Lang != briefbot.LangZH || c.Command != "/matter" {
		t.Errorf("source, name, lang, command = %q, %q, %q, %q", c.Source, c.Rules.Org.Name, c.Rules.Lang, c.Command)
	}
	if len(c.Rules.Org.Committees) != 2 || len(c.Rules.Org.Departments) != 4 || len(c.Rules.Org.Members) != 14 {
		t.Errorf("%d committees, %d departments, %d members; want 2, 4, 14",
			len(c.Rules.Org.Committees), len(c.Rules.Org.Departments), len(c.Rules.Org.Members))
	}
	want := briefbot.DefaultIntakeRules()
	want.MemberDrafts = true // the example switches member drafts on, so newcomers can try them
	if !reflect.DeepEqual(c.Rules.Intake, want) {
		t.Errorf("the example's intake section drifted from DefaultIntakeRules:\n%+v\n%+v", c.Rules.Intake, want)
	}
	if d, ok := c.Rules.Org.Department("criminal"); !ok || d.Principal != "zhou" || d.Name != "刑事审判庭" {
		t.Errorf("criminal = %+v, %v", d, ok)
	}
	if p, ok := c.Rules.Org.Committee("pl"); !ok || p.Name != "市委政法委" || p.Channel == "" {
		t.Errorf("pl = %+v, %v", p, ok)
	}
	// Each committee's compiling office in full: the party group's is the court's own
	// office, the commission's is no part of the court.
	for id, want := range map[briefbot.CommitteeID]string{"party": "某市中级人民法院办公室", "pl": "中共某市委政法委员会办公室"} {
		if cm, _ := c.Rules.Org.Committee(id); cm.Office != want {
			t.Errorf("%s's office = %q; want %q", id, cm.Office, want)
		}
	}
	// Every flow can be tried: each committee has a leader and a clerk, each department
	// a principal and a head, there is an admin, everyone has a Slack id.
	for _, cm := range c.Rules.Org.Committees {
		if len(cm.Leaders) == 0 || len(cm.Clerks) == 0 || cm.Channel == "" || cm.Office == "" || cm.NameEN == "" {
			t.Errorf("committee %s = %+v", cm.ID, cm)
		}
	}
	for _, d := range c.Rules.Org.Departments {
		if d.Principal == "" || len(d.Heads) == 0 || d.NameEN == "" {
			t.Errorf("department %s = %+v", d.ID, d)
		}
	}
	admins, english := 0, 0
	for _, m := range c.Rules.Org.Members {
		if m.SlackID == "" || m.Name == "" {
			t.Errorf("member %s = %+v", m.ID, m)
		}
		if got, _ := c.Rules.Org.MemberBySlackID(m.SlackID); got.ID != m.ID {
			t.Errorf("Slack id %s finds %s, want %s", m.SlackID, got.ID, m.ID)
		}
		if m.Admin {
			admins++
		}
		if m.Lang == briefbot.LangEN {
			english++
		}
		if len(c.Rules.Org.DepartmentsOf(m.ID)) == 0 && len(c.Rules.Org.CommitteesOf(m.ID)) == 0 && !m.Admin {
			t.Errorf("member %s has no place in the example", m.ID)
		}
	}
	if admins != 1 || english != 1 {
		t.Errorf("%d admins, %d English readers; want 1 and 1", admins, english)
	}
	if !strings.Contains(string(exampleYAML), "# 单位名称") {
		t.Errorf("exampleYAML lost its comments")
	}
}

func TestLoadConfig(t *testing.T) {
	path := filepath.Join("testdata", "valid.yaml")
	c, err := Load(path)
	if err != nil {
		t.Fatal(briefbot.ErrorMessage(err, briefbot.LangEN))
	}
	if c.Source != path || c.Rules.Org.Name != "测试法院" || len(c.Rules.Org.Members) != 3 {
		t.Errorf("config = %+v", c)
	}
	if d, ok := c.Rules.Org.Department("criminal"); !ok || d.Principal != "zhou" {
		t.Errorf("criminal = %+v, %v", d, ok)
	}
}

func TestLoadConfig_Missing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nowhere", "org.yaml")
	c, err := Load(path)
	if c != nil || err == nil {
		t.Fatalf("LoadConfig = %+v, %v", c, err)
	}
	if !errors.Is(err, fs.ErrNotExist) || briefbot.ErrorCode(err) != briefbot.EINVALID || briefbot.ErrorReason(err) != "config" {
		t.Errorf("error = %v", err)
	}
	if got := briefbot.ErrorMessage(err, briefbot.LangEN); got != "config file "+path+" not found" {
		t.Errorf("English message = %q", got)
	}
	if got := briefbot.ErrorMessage(err, briefbot.LangZH); got != "找不到配置文件 "+path {
		t.Errorf("Chinese message = %q", got)
	}
}

func TestLoadConfig_Directory(t *testing.T) {
	dir := t.TempDir()
	_, err := Load(dir)
	if got := briefbot.ErrorMessage(err, briefbot.LangEN); !strings.HasPrefix(got, "cannot read config file "+dir+": ") {
		t.Errorf("message = %q", got)
	}
}

// TestParseConfig_SignOff: sign-off settings and delegations (授权签发) read as written,
// delegations in whole days of the org's zone.
func TestParseConfig_SignOff(t *testing.T) {
	c, err := Parse([]byte(edit("    principal: zhou\n", "    principal: zhou\n    heads: [qian]\n    sign_off_delegates:\n      - member: qian\n        from: 2026-12-01\n        until: 2026-12-31\n")+
		"intake:\n  sign_off:\n    wait_always: true\n"), "org.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if so := c.Rules.Intake.SignOff; so.Off || !so.WaitAlways {
		t.Fatalf("sign_off = %+v", so)
	}
	d, _ := c.Rules.Org.Department("criminal")
	if len(d.Delegates) != 1 || d.Delegates[0].Member != "qian" {
		t.Fatalf("delegates = %+v", d.Delegates)
	}
	loc := c.Rules.Loc()
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2026, 11, 30, 23, 59, 0, 0, loc), false},
		{time.Date(2026, 12, 1, 0, 0, 0, 0, loc), true},
		{time.Date(2026, 12, 31, 23, 59, 0, 0, loc), true},
		{time.Date(2027, 1, 1, 0, 0, 0, 0, loc), false},
	} {
		if ok, delegated := d.Signs("qian", tc.at); ok != tc.want || ok && !delegated {
			t.Errorf("qian signs at %v = %v %v; want %v (delegated)", tc.at, ok, delegated, tc.want)
		}
	}
	if ok, delegated := d.Signs("zhou", time.Date(2030, 1, 1, 0, 0, 0, 0, loc)); !ok || delegated {
		t.Errorf("the principal always signs, as principal")
	}
}

// The example's briefings and monthly reports print each committee's office as
// configured: the commission's never with the court's name before it.
func TestExampleMastheads(t *testing.T) {
	org := &Example().Rules.Org
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, briefbot.DefaultLocation())
	from, to := briefings.MonthPeriod(2026, time.November, briefbot.DefaultLocation())
	for committee, want := range map[briefbot.CommitteeID]string{"party": "某市中级人民法院办公室编", "pl": "中共某市委政法委员会办公室编"} {
		b := briefings.Compose(nil, briefings.Options{Org: org, Committee: committee, Issue: 1, Now: now})
		s := briefings.ComputeStats(nil, briefings.StatsOptions{Org: org, Committee: committee, From: from, To: to, Now: now})
		for name, out := range map[string]string{"briefing": b.HTML() + b.Markdown() + b.Mrkdwn(), "report": s.HTML() + s.Markdown() + s.Mrkdwn()} {
			if !strings.Contains(out, want) {
				t.Errorf("the %s of %s lacks %q", name, committee, want)
			}
			if strings.Contains(out, "某市中级人民法院中共") || strings.Contains(out, "某市中级人民法院市委政法委") {
				t.Errorf("the %s of %s puts the court's name before the commission's office", name, committee)
			}
		}
	}
}
