package briefbot_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/briefbot/briefbot"
)

var update = flag.Bool("update", false, "rewrite PERMISSIONS.md from the authorizer")

// matrixOrg: the criminal division (principal zhou, head wu, member chen) and the civil
// division; the party committee (leader zhao, clerk qian) and the political-legal
// commission (leader sun, clerk li); an admin, jiang.
func matrixOrg() *briefbot.Org {
	o := testOrg()
	o.Departments[0].Members = []briefbot.MemberID{"chen"}
	o.Members = append(o.Members, briefbot.Member{ID: "chen", Name: "陈法官"}, briefbot.Member{ID: "jiang", Name: "蒋管理员", Admin: true},
		briefbot.Member{ID: "feng", Name: "冯副书记"})
	// feng leads the party group and is also a head of the criminal division: 回避.
	o.Committees[0].Leaders = append(o.Committees[0].Leaders, "feng")
	o.Departments[0].Heads = append(o.Departments[0].Heads, "feng")
	return o
}

var matrixRoles = []struct {
	role string
	who  briefbot.MemberID
}{
	{"department member", "chen"}, {"department head", "wu"}, {"committee clerk", "qian"}, {"committee leader", "zhao"},
	{"committee leader heading the department", "feng"}, {"admin", "jiang"},
}

// permissionMatrix computes the whole matrix from the authorizer: every role × own or
// other department × addressee or other committee × restricted or not, for every
// permission. The matter is submitted by its department's principal, addressed to the
// committee, and assigned to its own department; a restricted one lists nobody of the
// roles.
func permissionMatrix() string {
	org := matrixOrg()
	var b strings.Builder
	b.WriteString("| role | department | committee | restricted |")
	for _, p := range briefbot.Permissions {
		fmt.Fprintf(&b, " %s |", p)
	}
	b.WriteString("\n|---|---|---|---|" + strings.Repeat("---|", len(briefbot.Permissions)) + "\n")
	for _, r := range matrixRoles {
		for _, dept := range []struct{ name, id, principal string }{{"own", "criminal", "zhou"}, {"other", "civil", "zheng"}} {
			for _, com := range []struct{ name, to, cc string }{{"addressee", "party", ""}, {"copied", "pl", "party"}, {"other", "pl", ""}} {
				for _, restricted := range []bool{false, true} {
					m := &briefbot.Matter{Kind: briefbot.KindRequest, Number: briefbot.Number{Kind: briefbot.KindRequest, Year: 2026, Seq: 1}, Department: briefbot.DepartmentID(dept.id), Submitter: briefbot.MemberID(dept.principal),
						Addressee: briefbot.CommitteeID(com.to), Assignment: &briefbot.Assignment{Lead: briefbot.DepartmentID(dept.id)}}
					if com.cc != "" {
						m.Copied = []briefbot.CommitteeID{briefbot.CommitteeID(com.cc)}
					}
					if restricted {
						m.Restricted = []briefbot.MemberID{"sun"}
					}
					fmt.Fprintf(&b, "| %s | %s | %s | %v |", r.role, dept.name, com.name, map[bool]string{false: "no", true: "yes"}[restricted])
					for _, p := range briefbot.Permissions {
						fmt.Fprintf(&b, " %s |", map[bool]string{true: "allow", false: "—"}[org.Allowed(r.who, p, m)])
					}
					b.WriteString("\n")
				}
			}
		}
	}
	return b.String()
}

const matrixHeader = `# Who may do what

Generated from the authorizer (` + "`Org.Allowed`" + ` in authz.go) by
` + "`go test -run TestPermissionMatrix -update .`" + `; the test fails when this table and the
code disagree. Roles come from the org config. "department" is whether the matter is the
member's own department's (as submitter, and as the unit it is assigned to); "committee"
whether the member's committee is its addressee (主送), only copied (抄送), or neither;
"restricted" whether it carries a restricted-circulation list the member is not on.

- view: know of the matter and see its content (everything but draft and submit needs it too)
- draft: draft it for the department's heads to submit (where intake allows member drafts)
- submit: submit it for its department
- read: 圈阅 as a leader of a committee it is before (addressee or copied)
- instruct: 批示 and 转办 as a leader of its addressee (向谁请示向谁答复)
- record_for: record a leader's 批示 / 圈阅 on their behalf (代录); a clerk records only
  for a leader of their own committee, and only what that leader may do
- report: report on its assignment (落实反馈, 延期, 办结)
- decide: decide its follow-through (延期, 销号, 退办): the addressee's general office

A leader who belongs to the submitting department stands aside (回避): no read or
instruct on its matters (` + "`briefbot config check`" + ` lists such leaders). Every step is
authorised with this table where it is applied, in the ledger's transaction, whatever
form, button or metadata carried it (` + "`Rules.Take`" + `; the doors are tested cell by cell in
` + "`bot/forged_test.go`" + `).

Beyond the table: a committee's clerks compile, preview and approve its briefings; an
admin reloads the config and takes backups and sees no matter content; a matter's
submitter always sees it, and a restricted matter's list sees it.

`

func TestPermissionMatrix(t *testing.T) {
	got := matrixHeader + permissionMatrix()
	if *update {
		if err := os.WriteFile("PERMISSIONS.md", []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("PERMISSIONS.md")
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Fatalf("PERMISSIONS.md and the authorizer disagree; review the change and run with -update\n%s", got)
	}
}

// TestPermissions_SpotChecks pins the rules the table must show, independently of it.
func TestPermissions_SpotChecks(t *testing.T) {
	org := matrixOrg()
	m := &briefbot.Matter{Kind: briefbot.KindRequest, Number: briefbot.Number{Kind: briefbot.KindRequest, Year: 2026, Seq: 1}, Department: "criminal", Submitter: "zhou",
		Addressee: "party", Assignment: &briefbot.Assignment{Lead: "criminal"}}
	for _, tc := range []struct {
		who  briefbot.MemberID
		p    briefbot.Permission
		want bool
	}{
		{"zhao", briefbot.PermInstruct, true}, {"sun", briefbot.PermInstruct, false}, {"sun", briefbot.PermView, false},
		{"qian", briefbot.PermRecordFor, true}, {"qian", briefbot.PermInstruct, false}, {"zhao", briefbot.PermRecordFor, false},
		{"wu", briefbot.PermSubmit, true}, {"chen", briefbot.PermSubmit, false}, {"chen", briefbot.PermView, true},
		{"wu", briefbot.PermReport, true}, {"chen", briefbot.PermReport, false}, {"zheng", briefbot.PermReport, false},
		{"qian", briefbot.PermDecide, true}, {"wu", briefbot.PermDecide, false},
		{"jiang", briefbot.PermView, false}, {"", briefbot.PermView, false},
	} {
		if got := org.Allowed(tc.who, tc.p, m); got != tc.want {
			t.Errorf("Allowed(%s, %s) = %v; want %v", tc.who, tc.p, got, tc.want)
		}
	}
	m.Restricted = []briefbot.MemberID{"zhao"}
	if !org.Allowed("zhao", briefbot.PermInstruct, m) || org.Allowed("qian", briefbot.PermRecordFor, m) || org.Allowed("wu", briefbot.PermView, m) {
		t.Errorf("restricted circulation not honoured")
	}
	m.Restricted = nil
	if org.Allowed("feng", briefbot.PermInstruct, m) || org.Allowed("feng", briefbot.PermRead, m) || !org.Allowed("feng", briefbot.PermView, m) {
		t.Errorf("a leader heading the submitting department must stand aside (回避)")
	}
	m.Addressee, m.Copied = "pl", []briefbot.CommitteeID{"party"}
	if org.Allowed("zhao", briefbot.PermInstruct, m) || !org.Allowed("zhao", briefbot.PermRead, m) || org.Allowed("qian", briefbot.PermDecide, m) || !org.Allowed("qian", briefbot.PermRecordFor, m) {
		t.Errorf("a copied committee: its leaders read, do not instruct; its clerks record, do not decide")
	}
	if !org.MayBrief("qian", "party") || org.MayBrief("zhao", "party") || org.MayBrief("qian", "pl") || !org.IsAdmin("jiang") || org.IsAdmin("qian") {
		t.Errorf("briefing and admin rights wrong")
	}
}
