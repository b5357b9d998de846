package sheets

import (
	"context"
	"fmt"

	"lianluo"
)

// Appraisal writes a 工作评议 as a workbook, for reporting it upwards: a
// row per appraised unit (its 民意测评 tally, 满意率, findings and how far
// its rectification has come), then a sheet of the rectification items.
func Appraisal(p *lianluo.Appraisal) ([]byte, error) {
	b := ranking{sheet: "工作评议", title: fmt.Sprintf("%s（%s，评议时间%s）", p.Title, p.OrgName, p.ScheduledOn),
		headers: []string{"序号", "被评议单位", "满意", "基本满意", "不满意", "合计", "满意率（%）", "评议意见", "整改事项", "已完成", "超期未完成"},
		widths:  map[int]float64{0: 6, 1: 30, 7: 50}, rules: "整改事项",
		ruleHeaders: []string{"被评议单位", "整改事项", "完成期限", "状态", "整改情况", "超期"}}
	for i, u := range p.Units {
		b.rows = append(b.rows, []any{i + 1, u.Name, u.Tally.Satisfied, u.Tally.Basic, u.Tally.Unsatisfied, u.Tally.Total(),
			u.Tally.Rate(), u.Findings, u.Progress.Total, u.Progress.Done, u.Progress.Overdue})
		for _, it := range u.Items {
			overdue := ""
			if it.Overdue {
				overdue = "超期"
			}
			b.ruleRows = append(b.ruleRows, []any{u.Name, it.Text, it.DueOn, it.StatusName, it.Report, overdue})
		}
	}
	return b.write()
}

// ExportAppraisal writes the appraisal id in the caller's scope and records
// the export. It returns the file's name and its bytes.
func ExportAppraisal(ctx context.Context, svc lianluo.Services, id int64) (string, []byte, error) {
	p, err := svc.Appraisals.FindAppraisalByID(ctx, id)
	if err != nil {
		return "", nil, err
	}
	b, err := Appraisal(p)
	if err != nil {
		return "", nil, err
	}
	if err := svc.Events.RecordEvent(ctx, lianluo.EntityAppraisal, p.ID, lianluo.AuditExport, "导出"+p.Title+"（Excel）"); err != nil {
		return "", nil, err
	}
	return p.Title + ".xlsx", b, nil
}
