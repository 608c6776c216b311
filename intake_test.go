package briefbot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
)

func TestCheckIntake_OK(t *testing.T) {
	for name, m := range map[string]*briefbot.Matter{"Request": validRequest(), "Report": validReport()} {
		if err := briefbot.CheckIntake(m, testOrg(), briefbot.DefaultIntakeRules(), day); err != nil {
			t.Errorf("%s: CheckIntake = %v; want nil", name, err)
		}
	}
	f := validReport()
	f.Kind, f.ReportType = briefbot.KindFiling, ""
	if err := briefbot.CheckIntake(f, testOrg(), briefbot.DefaultIntakeRules(), day); err != nil {
		t.Errorf("Filing: CheckIntake = %v; want nil", err)
	}
}

func TestCheckIntake_Refusals(t *testing.T) {
	rules := briefbot.DefaultIntakeRules()
	for _, tc := range []struct {
		name  string
		base  func() *briefbot.Matter
		edit  func(*briefbot.Matter)
		field string
		zh    string // a fragment the Chinese message must contain
	}{
		{"ErrNoKind", validRequest, func(m *briefbot.Matter) { m.Kind = "" }, briefbot.FieldKind, "请示、报告或报备"},
		{"ErrHybridReportWithRequestFields", validReport, func(m *briefbot.Matter) { m.RequestedItem = "批准经费" }, briefbot.FieldRequestedItem, "另行报送请示"},
		{"ErrReportSmugglesRequest", validReport, func(m *briefbot.Matter) { m.Body += "妥否，请批示。" }, briefbot.FieldBody, "报告不得夹带请示事项"},
		{"ErrReportSmugglesRequestHalfWidth", validReport, func(m *briefbot.Matter) { m.Body += "妥否, 请 批示" }, briefbot.FieldBody, "报告不得夹带请示事项"},
		{"ErrReportTitleAsksApproval", validReport, func(m *briefbot.Matter) { m.Title = "关于经费问题请批准的报告" }, briefbot.FieldTitle, "请批准"},
		{"ErrFilingAsks", func() *briefbot.Matter { m := validReport(); m.Kind, m.ReportType = briefbot.KindFiling, ""; return m },
			func(m *briefbot.Matter) { m.Body = "请审批。" }, briefbot.FieldBody, "请审批"},
		{"ErrRequestNoItem", validRequest, func(m *briefbot.Matter) { m.RequestedItem = "" }, briefbot.FieldRequestedItem, "请示事项"},
		{"ErrRequestTwoItems", validRequest, func(m *briefbot.Matter) { m.RequestedItem = "1. 批准经费\n2. 增加编制" }, briefbot.FieldRequestedItem, "一文一事"},
		{"ErrRequestTwoItemsYiShi", validRequest, func(m *briefbot.Matter) { m.RequestedItem = "一是批准经费，二是增加编制" }, briefbot.FieldRequestedItem, "一文一事"},
		{"ErrRequestNoReasons", validRequest, func(m *briefbot.Matter) { m.Reasons = " " }, briefbot.FieldReasons, "理由"},
		{"ErrRequestNoRecommendation", validRequest, func(m *briefbot.Matter) { m.Recommendation = "" }, briefbot.FieldRecommendation, "意见建议"},
		{"ErrTwoAddressees", validRequest, func(m *briefbot.Matter) { m.Addressee = "party,pl" }, briefbot.FieldAddressee, "只能有一个"},
		{"ErrNoAddressee", validRequest, func(m *briefbot.Matter) { m.Addressee = "" }, briefbot.FieldAddressee, "只能有一个"},
		{"ErrUnknownAddressee", validRequest, func(m *briefbot.Matter) { m.Addressee = "court" }, briefbot.FieldAddressee, "不在组织配置"},
		{"ErrCopiedAddressee", validRequest, func(m *briefbot.Matter) { m.Copied = []briefbot.CommitteeID{"party"} }, briefbot.FieldCopied, "抄送"},
		{"ErrLevelSkipOff", validRequest, func(m *briefbot.Matter) { m.LevelSkip, m.LevelSkipReason = true, "情况紧急" }, briefbot.FieldSkippedBody, "不得越级"},
		{"ErrNotDeclaredUnclassified", validRequest, func(m *briefbot.Matter) { m.Unclassified = false }, briefbot.FieldUnclassified, "不涉密"},
		{"ErrTitleTooLong", validRequest, func(m *briefbot.Matter) { m.Title = strings.Repeat("长", 101) }, briefbot.FieldTitle, "100字"},
		{"ErrTitleTwoLines", validRequest, func(m *briefbot.Matter) { m.Title = "标题\n第二行" }, briefbot.FieldTitle, "换行"},
		{"ErrBodyTooLong", validReport, func(m *briefbot.Matter) { m.Body = strings.Repeat("文", 20001) }, briefbot.FieldBody, "20000字"},
		{"ErrReportNoType", validReport, func(m *briefbot.Matter) { m.ReportType = "" }, briefbot.FieldReportType, "报告类别"},
		{"ErrFollowUpWithoutFirst", validReport, func(m *briefbot.Matter) { m.ReportType = briefbot.ReportFollowUp }, briefbot.FieldFollowUpOf, "首报"},
		{"ErrFollowUpOfRequest", validReport, func(m *briefbot.Matter) {
			m.ReportType, m.FollowUpOf = briefbot.ReportFollowUp, briefbot.Number{Kind: briefbot.KindRequest, Year: 2026, Seq: 3}
		}, briefbot.FieldFollowUpOf, "必须是报告"},
		{"ErrAnswerByOnReport", validReport, func(m *briefbot.Matter) { m.AnswerBy = day.Add(48 * time.Hour) }, briefbot.FieldAnswerBy, "只有请示"},
		{"ErrAnswerByPast", validRequest, func(m *briefbot.Matter) { m.AnswerBy = day.Add(-time.Hour) }, briefbot.FieldAnswerBy, "晚于现在"},
		{"ErrUnknownCategory", validRequest, func(m *briefbot.Matter) { m.Category = "杂项" }, briefbot.FieldCategory, "重大案件"},
		{"ErrBadLink", validRequest, func(m *briefbot.Matter) { m.Attachments = []string{"javascript:alert(1)"} }, briefbot.FieldAttachments, "http"},
		{"ErrUnknownRestricted", validRequest, func(m *briefbot.Matter) { m.Restricted = []briefbot.MemberID{"nobody"} }, briefbot.FieldRestricted, "不在组织配置"},
		{"ErrUnknownDepartment", validRequest, func(m *briefbot.Matter) { m.Department = "x" }, briefbot.FieldDepartment, "报送单位"},
		{"ErrBadDecision", validRequest, func(m *briefbot.Matter) { m.Decision = "vote" }, briefbot.FieldDecision, "集体研究"},
		{"ErrBadUrgency", validRequest, func(m *briefbot.Matter) { m.Urgency = "asap" }, briefbot.FieldUrgency, "特急"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.base()
			tc.edit(m)
			err := briefbot.CheckIntake(m, testOrg(), rules, day)
			if got := briefbot.ErrorCode(err); got != briefbot.EINVALID {
				t.Fatalf("CheckIntake = %v; want invalid", err)
			}
			var found bool
			for _, f := range briefbot.ErrorFields(err) {
				if f.Field == tc.field && strings.Contains(f.Msg.ZH, tc.zh) && f.Msg.EN != "" {
					found = true
				}
			}
			if !found {
				t.Fatalf("CheckIntake fields = %+v; want %s mentioning %q", briefbot.ErrorFields(err), tc.field, tc.zh)
			}
		})
	}
}

// TestCheckIntake_LevelSkip: with 越级 allowed, a skip names the body passed over
// (not the addressee), gives its reason and copies that body; CopySkipped copies it.
func TestCheckIntake_LevelSkip(t *testing.T) {
	rules := briefbot.DefaultIntakeRules()
	rules.AllowLevelSkip = true
	for _, tc := range []struct {
		name  string
		edit  func(m *briefbot.Matter)
		field string
		word  string
	}{
		{"NoBody", func(m *briefbot.Matter) { m.LevelSkipReason = "情况紧急" }, briefbot.FieldSkippedBody, "被越过的机关"},
		{"NoReason", func(m *briefbot.Matter) { m.SkippedBody = "pl"; m.CopySkipped() }, briefbot.FieldLevelSkip, "理由"},
		{"TheAddressee", func(m *briefbot.Matter) { m.SkippedBody, m.LevelSkipReason = "party", "情况紧急"; m.CopySkipped() }, briefbot.FieldSkippedBody, "主送"},
		{"Unknown", func(m *briefbot.Matter) {
			m.SkippedBody, m.LevelSkipReason = "nowhere", "情况紧急"
			m.CopySkipped()
		}, briefbot.FieldSkippedBody, ""},
		{"NotCopied", func(m *briefbot.Matter) { m.SkippedBody, m.LevelSkipReason, m.LevelSkip = "pl", "情况紧急", true }, briefbot.FieldCopied, "抄送"},
	} {
		m := validRequest()
		tc.edit(m)
		err := briefbot.CheckIntake(m, testOrg(), rules, day)
		if !hasField(err, tc.field) || !strings.Contains(briefbot.ErrorMessage(err, briefbot.LangZH), tc.word) {
			t.Fatalf("%s: %v; want a %s problem mentioning %q", tc.name, err, tc.field, tc.word)
		}
	}
	m := validRequest()
	m.SkippedBody, m.LevelSkipReason = "pl", "情况紧急，需直接报告"
	m.CopySkipped()
	if !m.LevelSkip || len(m.Copied) != 1 || m.Copied[0] != "pl" {
		t.Fatalf("CopySkipped = %+v", m)
	}
	if err := briefbot.CheckIntake(m, testOrg(), rules, day); err != nil {
		t.Fatalf("a level skip done right = %v", err)
	}
}

func TestCheckIntake_ListsEveryProblem(t *testing.T) {
	m := validRequest()
	m.Title, m.Reasons, m.Decision = "", "", "sometimes"
	fs := briefbot.ErrorFields(briefbot.CheckIntake(m, testOrg(), briefbot.DefaultIntakeRules(), day))
	got := map[string]bool{}
	for _, f := range fs {
		got[f.Field] = true
	}
	for _, want := range []string{briefbot.FieldTitle, briefbot.FieldReasons, briefbot.FieldDecision} {
		if !got[want] {
			t.Errorf("problems %v lack %s", got, want)
		}
	}
}

func TestCheckIntake_SmugglingInTitleAndBody(t *testing.T) {
	m := validReport()
	m.Title, m.Body = "关于追加办案经费的请示", "经费缺口约60万元。以上意见当否，请示。"
	err := briefbot.CheckIntake(m, testOrg(), briefbot.DefaultIntakeRules(), day)
	if !hasField(err, briefbot.FieldTitle) || !hasField(err, briefbot.FieldBody) {
		t.Fatalf("CheckIntake = %+v; want both the title and the body refused", briefbot.ErrorFields(err))
	}
	if msg := briefbot.ErrorMessage(err, briefbot.LangZH); !strings.Contains(msg, "“请示”") {
		t.Errorf("message %q does not quote the phrase found", msg)
	}
	m.Title, m.Body = "关于《关于追加办案经费的请示》批复落实情况的报告", "经费已于3月拨付到位，已按批复执行。"
	if err := briefbot.CheckIntake(m, testOrg(), briefbot.DefaultIntakeRules(), day); err != nil {
		t.Errorf("a report about an answered request: CheckIntake = %v; want nil", err)
	}
}

func TestCheckIntake_ClassifiedIsRefusedWithoutEcho(t *testing.T) {
	secret := "机密★10年 某某案件侦查方案XYZZY"
	for _, field := range []string{"title", "body", "reasons"} {
		m := validRequest()
		switch field {
		case "title":
			m.Title = secret
		case "body":
			m.Body = secret
		case "reasons":
			m.Reasons = secret
		}
		err := briefbot.CheckIntake(m, testOrg(), briefbot.DefaultIntakeRules(), day)
		if briefbot.ErrorReason(err) != "classified" {
			t.Fatalf("%s: CheckIntake = %v; want classified", field, err)
		}
		for _, s := range []string{err.Error(), briefbot.ErrorMessage(err, briefbot.LangZH), briefbot.ErrorMessage(err, briefbot.LangEN)} {
			if strings.Contains(s, "XYZZY") {
				t.Fatalf("%s: the refusal echoes the classified text: %s", field, s)
			}
		}
		if fs := briefbot.ErrorFields(err); len(fs) != 1 || fs[0].Field != field {
			t.Fatalf("%s: fields = %+v", field, fs)
		}
	}
}

func TestHasClassificationMarking(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"绝密", true},
		{"机密★1年", true},
		{"秘密★", true},
		{"秘密*6个月", true},
		{"秘密 ★ 长期", true},
		{"秘密", true},
		{"【秘密】关于某事的报告", true},
		{"密级：秘密", true},
		{"正文第一段\n秘密\n第二段", true},
		{"本件为机密★文件", true},
		// 机密 as a word, not a label, passes (it was refused anywhere before).
		{"本件为机密文件", false},
		{"本案涉及商业机密", false},
		{"绝\u200b密", true},
		{"要求全体干警保守工作秘密", false},
		{"依法保护商业秘密和个人隐私", false},
		{"泄露审判工作秘密的问题", false},
		{"关于一季度审判执行工作情况的报告", false},
		{"", false},
	} {
		if got := briefbot.HasClassificationMarking(tc.text); got != tc.want {
			t.Errorf("HasClassificationMarking(%q) = %v; want %v", tc.text, got, tc.want)
		}
	}
}

func hasField(err error, field string) bool {
	for _, f := range briefbot.ErrorFields(err) {
		if f.Field == field {
			return true
		}
	}
	return false
}
