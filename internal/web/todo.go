package web

import (
	"context"
	"net/http"
	"slices"

	"lianluo"
)

// 我的待办: the to-do lists of the caller's roles, each with its count and
// its first cases.

type todoPage struct {
	basePage
	Lists []todoList
	Empty bool // nothing to do at all
}

type todoList struct {
	Key, Name, Hint string
	N               int
	URL             string
	Items           []caseRow
}

// Count is the list's count as the pages show it: "99+" past
// lianluo.TodoCountCap, which is as far as the store counts.
func (t todoList) Count() string { return lianluo.TodoCountLabel(t.N) }

// todoFirst is how many cases of each list the page shows.
const todoFirst = 5

// The store answers every list for everyone (an empty one for a role that
// has no part in it); the page shows the lists the caller's roles work
// (lianluo.TodoListsFor). Which cases are on a list is lianluo.TodoKeys's
// rule, applied by the store.

var todoHints = map[string]string{
	"triage":    "新登记的意见，请梳理：当场答复、不予受理、解释说明或报送审核",
	"approve":   "已报送的意见，请审核并交办承办单位",
	"sign":      "交办给本单位的意见，请签收",
	"reply":     "本单位办理中的意见，请按期答复",
	"overdue":   "超过审核交办或答复期限、需要您办理或催办的意见",
	"extension": "承办单位申请延期，请审批",
	"feedback":  "承办单位已答复，请反馈给代表和群众",
	"evaluate":  "已反馈，请代表或群众测评满意度",
	"supervise": "代表不满意，请督办",
}

// todoLists returns the caller's lists with their counts; with items, the
// first cases of each non-empty list too.
func (a *app) todoLists(ctx context.Context, ac *lianluo.Actor, items bool) ([]todoList, error) {
	counts, err := a.svc.Cases.TodoCounts(ctx)
	if err != nil {
		return nil, err
	}
	var out []todoList
	mine := lianluo.TodoListsFor(ac)
	for _, l := range lianluo.TodoLists {
		if !slices.Contains(mine, l.Key) {
			continue
		}
		t := todoList{Key: l.Key, Name: l.Name, Hint: todoHints[l.Key], N: counts[l.Key], URL: "/console/cases?todo=" + l.Key}
		if items && t.N > 0 {
			cs, _, err := a.svc.Cases.FindCases(ctx, lianluo.CaseFilter{Todo: l.Key, Page: lianluo.Page{PerPage: todoFirst}})
			if err != nil {
				return nil, err
			}
			t.Items = a.caseRows(cs)
		}
		out = append(out, t)
	}
	return out, nil
}

func (a *app) todo(w http.ResponseWriter, r *http.Request) error {
	lists, err := a.todoLists(r.Context(), actor(r), true)
	if err != nil {
		return err
	}
	p := &todoPage{basePage: basePage{Title: "我的待办", Section: "todo"}, Lists: lists, Empty: true}
	for _, l := range lists {
		if l.N > 0 {
			p.Empty = false
		}
	}
	return a.render(w, r, http.StatusOK, "todo", p)
}
