// Package schedule holds the pure scheduling rules of station receptions
// (接待): recurrence rules that turn "每单月十五日上午 9:00–11:00" into dated
// sessions on the working-day calendar, and the rota (轮值表) that assigns a
// station's deputies to a year's sessions.
//
// Nothing here touches a database, a clock or the network: every function
// takes what it needs and returns a value, so the store and the pages can
// call it inside or outside a transaction and tests can pin every case.
//
// Times: all dates are Beijing dates (lianluo.Beijing) and every time.Time
// returned is in that location. Inputs may be in any location; only their
// Beijing date (or instant, for Busy ranges) matters.
//
// The rules enforced, by the working rule they come from (the numbers are
// explained in docs/architecture.md, "Where the rules come from"):
//
//   - 000: receptions on a fixed schedule (每单月十五日上午9:00—11:00).
//   - 001 二(一): at least 2 deputies per station (per session here).
//   - 001 二(二): receptions at least every two months; every deputy at
//     least once a year; leader deputies take part.
//   - 001 二(三): reception forms — 主题、预约、流动、上门 and 网上.
//   - 001 四(一): new and experienced deputies received together (新老代表组合接待).
//   - 002 篇三 三(三): 定时 — a yearly plan made at the start of the year.
package schedule
