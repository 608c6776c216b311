package briefbot_test

import (
	"time"

	"github.com/briefbot/briefbot"
)

// testOrg is a small organisation used across the vocabulary's tests.
func testOrg() *briefbot.Org {
	return &briefbot.Org{
		Name: "某市中级人民法院",
		Committees: []briefbot.Committee{
			{ID: "party", Name: "党组", Leaders: []briefbot.MemberID{"zhao"}, Clerks: []briefbot.MemberID{"qian"}},
			{ID: "pl", Name: "市委政法委", Leaders: []briefbot.MemberID{"sun"}, Clerks: []briefbot.MemberID{"li"}},
		},
		Departments: []briefbot.Department{
			{ID: "criminal", Name: "刑事审判庭", Principal: "zhou", Heads: []briefbot.MemberID{"wu"}},
			{ID: "civil", Name: "民事审判庭", Principal: "zheng"},
		},
		Members: []briefbot.Member{
			{ID: "zhao", Name: "赵书记"}, {ID: "qian", Name: "钱秘书"}, {ID: "sun", Name: "孙书记"}, {ID: "li", Name: "李秘书"},
			{ID: "zhou", Name: "周庭长"}, {ID: "wu", Name: "吴副庭长"}, {ID: "zheng", Name: "郑庭长"},
		},
	}
}

var day = time.Date(2026, 3, 2, 9, 0, 0, 0, briefbot.DefaultLocation())

// validRequest returns a request that passes every intake rule of testOrg.
func validRequest() *briefbot.Matter {
	return &briefbot.Matter{
		Kind: briefbot.KindRequest, Title: "关于某案件审理有关问题的请示",
		RequestedItem: "拟对某案依法公开开庭审理", Reasons: "该案社会关注度高", Recommendation: "建议公开开庭审理",
		Department: "criminal", Submitter: "wu", Signatory: "zhou", SignedOn: day.Add(-24 * time.Hour),
		Decision: briefbot.DecisionCollective, Urgency: briefbot.UrgencyOrdinary, Addressee: "party",
		AnswerBy: day.Add(5 * 24 * time.Hour), Unclassified: true,
	}
}

// validReport returns a situation report that passes every intake rule of testOrg.
func validReport() *briefbot.Matter {
	return &briefbot.Matter{
		Kind: briefbot.KindReport, ReportType: briefbot.ReportSituation, Title: "关于一季度审判执行工作情况的报告",
		Body: "一季度共受理案件1200件，审结1100件。", Department: "civil", Submitter: "zheng", Signatory: "zheng",
		SignedOn: day, Decision: briefbot.DecisionCirculated, Addressee: "pl", Copied: []briefbot.CommitteeID{"party"}, Unclassified: true,
	}
}
