package sqlstore

// Benchmarks of case intake and of list and search latency on a large data
// set, on SQLite and (with LIANLUO_TEST_POSTGRES_URL) PostgreSQL. The figures
// and the commands live in BENCHMARKS.md at the repository root.
//
//	BenchmarkCaseIntake  CreateCase through the real service, one case a
//	                     transaction; cheap, always runs.
//	BenchmarkCaseList    FindCases pages on LIANLUO_BENCH_CASES generated cases
//	BenchmarkCaseSearch  FindCases full-text queries on the same cases
//
// The big data set is generated once per dialect and run, bulk-loaded with
// multi-row INSERTs in large transactions (not through CreateCase). With
// LIANLUO_BENCH_DIR set it is kept — the SQLite file in that folder, the
// PostgreSQL database as lianluo_bench_<N> — and reused by later runs;
// otherwise it is removed when the dialect's benchmarks end.
//
// This is an internal test (package sqlstore), to reach the store's query
// pieces, so it cannot use storetest, which imports sqlstore; benchOpen does
// the part of storetest.MustOpen it needs, with pgtest. Every name here starts with "bench" to stay clear of the other
// internal test files.

import (
	"context"
	"database/sql"
	"fmt"
	mrand "math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/pgtest"
	"lianluo/internal/regiondata"
	"lianluo/internal/textsearch"
)

// benchNow is the clock of the large data set: cases were created over the
// three years before it, and "overdue" is measured against it.
var benchNow = time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC)

const benchPassword = "Bench@2026pw"

// benchDataVersion names the generator; a kept data set of another version
// is regenerated.
const benchDataVersion = "cases-v2"

func benchDialects(b *testing.B, fn func(b *testing.B, dialect string)) {
	b.Run(SQLite, func(b *testing.B) { fn(b, SQLite) })
	b.Run(Postgres, func(b *testing.B) {
		if pgtest.URL() == "" {
			b.Skip("set LIANLUO_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to benchmark PostgreSQL")
		}
		fn(b, Postgres)
	})
}

// benchOpen opens a fresh migrated database, removed when b ends: SQLite in
// a temporary folder, PostgreSQL as a database of its own.
func benchOpen(b *testing.B, dialect string) *DB {
	b.Helper()
	cfg := Config{DataDir: b.TempDir()}
	if dialect == Postgres {
		cfg.DatabaseURL = pgtest.NewDatabase(b)
	}
	db, err := Open(context.Background(), cfg)
	if err != nil {
		b.Fatalf("open %s: %v", dialect, err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

func benchPostgresAdmin(b *testing.B) *sql.DB {
	b.Helper()
	admin, err := sql.Open("pgx", pgtest.URL())
	if err != nil {
		b.Fatalf("open postgres: %v", err)
	}
	return admin
}

// benchPostgresURL returns the URL of database name on the test server.
func benchPostgresURL(b *testing.B, name string) string {
	b.Helper()
	u, err := url.Parse(pgtest.URL())
	if err != nil {
		b.Fatalf("parse LIANLUO_TEST_POSTGRES_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

func benchCreatePostgres(b *testing.B, name string) string {
	b.Helper()
	admin := benchPostgresAdmin(b)
	defer admin.Close()
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		b.Fatalf("create database %s: %v", name, err)
	}
	return benchPostgresURL(b, name)
}

func benchDropPostgres(b *testing.B, name string) {
	admin := benchPostgresAdmin(b)
	defer admin.Close()
	if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
		b.Logf("drop database %s: %v", name, err)
	}
}

// ---------------------------------------------------------------------------
// The district: 北仑区 (330206), its 12 towns and their villages, an NPC body
// and a station with a deputy in each town, and three users.

type benchTown struct {
	code, name string
	weight     int      // share of the cases
	villages   []string // region codes
	org        int64
	station    int64
	deputy     int64
}

type benchWorld struct {
	db    *DB
	towns []*benchTown
	total int // sum of weights
}

// Town weights: the big streets (新碶, 大碶, 小港, 柴桥) receive most cases.
var benchTownWeights = map[string]int{
	"330206001": 4, "330206002": 18, "330206003": 12, "330206004": 16, "330206005": 8, "330206006": 10,
	"330206007": 5, "330206008": 5, "330206009": 5, "330206010": 4, "330206011": 5, "330206401": 3,
}

// benchTownA is the town whose office and liaison the benchmarks act as (大碶).
const benchTownA = "330206004"

func benchSystem() context.Context {
	return lianluo.NewContextWithActor(context.Background(), lianluo.SystemActor())
}

// benchBuildWorld creates the district in a fresh database through the
// store's public methods, as the system.
func benchBuildWorld(b *testing.B, db *DB) *benchWorld {
	b.Helper()
	ctx := benchSystem()
	must := func(err error) {
		b.Helper()
		if err != nil {
			b.Fatal(err)
		}
	}
	w := &benchWorld{db: db}
	var rs []lianluo.Region
	byCode := map[string]*benchTown{}
	must(regiondata.Walk("330206", func(r regiondata.Record) error {
		rs = append(rs, lianluo.Region{Code: r.Code, Name: r.Name, Level: r.Level, ParentCode: r.ParentCode})
		switch r.Level {
		case regiondata.LevelTown:
			t := &benchTown{code: r.Code, name: r.Name, weight: benchTownWeights[r.Code]}
			if t.weight == 0 {
				t.weight = 3
			}
			w.towns = append(w.towns, t)
			byCode[r.Code] = t
			w.total += t.weight
		case regiondata.LevelVillage:
			if t := byCode[r.ParentCode]; t != nil {
				t.villages = append(t.villages, r.Code)
			}
		}
		return nil
	}))
	_, err := db.ImportRegions(ctx, rs)
	must(err)
	district := &lianluo.Org{Kind: "npc", Name: "北仑区人大常委会", RegionCode: "330206"}
	must(db.CreateOrg(ctx, district))
	seat := []lianluo.Seat{{Level: "county", Term: 18, Constituency: "第3选区"}}
	for i, t := range w.towns {
		o := &lianluo.Org{Kind: "npc", Name: t.name + "人大工委", RegionCode: t.code, ParentID: &district.ID}
		must(db.CreateOrg(ctx, o))
		d := &lianluo.Deputy{Name: benchSurnames[i] + "建国", Gender: "male", RegionCode: t.code, Seats: seat}
		must(db.CreateDeputy(ctx, d))
		s := &lianluo.Station{Kind: "center", Name: t.name + "人大代表中心联络站", RegionCode: t.code, OrgID: o.ID,
			DeputyIDs: []int64{d.ID}, HeadDeputyID: &d.ID}
		must(db.CreateStation(ctx, s))
		t.org, t.station, t.deputy = o.ID, s.ID, d.ID
	}
	a := w.town(benchTownA)
	for _, u := range []*lianluo.User{
		{Username: "admin", DisplayName: "管理员", Roles: []lianluo.Grant{{Role: "system_admin"}}},
		{Username: "officea", DisplayName: "大碶人大办", Roles: []lianluo.Grant{{Role: "npc_office", OrgID: &a.org}}},
		{Username: "liaisona", DisplayName: "大碶联络员", Roles: []lianluo.Grant{{Role: "liaison", StationID: &a.station}}},
	} {
		u.Password = benchPassword
		must(db.CreateUser(ctx, u))
	}
	return w
}

func (w *benchWorld) town(code string) *benchTown {
	for _, t := range w.towns {
		if t.code == code {
			return t
		}
	}
	panic("no town " + code)
}

// benchAs logs the user in through the real path and returns a context
// acting as them.
func benchAs(b *testing.B, db *DB, username string) context.Context {
	b.Helper()
	s, err := db.Login(context.Background(), username, benchPassword, "127.0.0.1")
	if err != nil {
		b.Fatalf("Login(%s): %v", username, err)
	}
	a, err := db.Authenticate(context.Background(), s.Token, "127.0.0.1")
	if err != nil {
		b.Fatalf("Authenticate(%s): %v", username, err)
	}
	return lianluo.NewContextWithActor(context.Background(), a)
}

// ---------------------------------------------------------------------------
// Realistic complaints: ~50 topics, each with title templates and sentences;
// {p} is a place (a housing estate, a road or a village).

type benchTopic struct {
	category string
	weight   int
	titles   []string
	lines    []string
}

var benchTopics = []benchTopic{
	{"道路照明", 30, []string{"{p}路灯不亮", "{p}路灯损坏多日无人维修", "{p}路灯时亮时灭", "建议在{p}增设路灯"},
		[]string{"晚上路灯不亮，行人出行很不方便", "好几盏路灯坏了一个多月", "夜间一片漆黑，老人小孩走路容易摔倒", "路灯线路老化，存在漏电隐患"}},
	{"道路维修", 25, []string{"{p}一下雨就积水", "{p}道路积水严重", "{p}排水不畅"},
		[]string{"每逢下雨路面积水没过脚踝", "雨水井堵塞，排水管道年久失修", "积水导致车辆熄火，行人只能绕行", "希望疏通下水道"}},
	{"停车管理", 35, []string{"{p}停车难问题", "{p}乱停车堵塞通道", "{p}停车位严重不足", "{p}停车收费不合理"},
		[]string{"小区车位远远不够，晚上车辆只能停在路边", "机动车占用人行道和消防通道", "停车收费标准不透明", "建议利用闲置地块建设公共停车场"}},
	{"噪声扰民", 30, []string{"{p}夜间施工噪声扰民", "{p}广场舞音响声音太大", "{p}商铺音响噪声扰民"},
		[]string{"晚上十点以后仍在施工，噪声严重影响休息", "广场舞音响声音很大，影响老人和学生休息", "多次向物业反映没有效果", "希望加强夜间噪声管理"}},
	{"垃圾分类", 30, []string{"{p}垃圾清运不及时", "{p}垃圾桶满溢", "{p}垃圾分类设施不足"},
		[]string{"垃圾桶满了好几天没人清运，气味难闻", "夏天蚊蝇滋生，影响环境卫生", "垃圾分类投放点太少，居民投放不便", "建议增加清运频次"}},
	{"养老服务", 28, []string{"{p}老年人就餐难", "{p}希望建设居家养老服务中心", "{p}养老机构床位紧张"},
		[]string{"村里独居老人较多，吃饭成了难题", "希望开设老年食堂，提供助餐服务", "养老服务中心活动场地太小", "高龄老人缺少上门照护服务"}},
	{"道路维修", 20, []string{"{p}路面坑洼不平", "{p}人行道破损", "{p}道路年久失修"},
		[]string{"路面坑坑洼洼，电动车经过容易摔倒", "人行道地砖松动，下雨溅水", "大货车碾压导致路面破损严重", "希望尽快修复路面"}},
	{"公交线路", 18, []string{"{p}公交班次太少", "建议在{p}增设公交站点", "{p}公交线路调整后出行不便"},
		[]string{"公交车一个小时才一班，上下班等车时间太长", "附近没有公交站，老人出行要走很远", "线路调整后去医院要换乘两次", "希望优化公交线路"}},
	{"小区物业", 26, []string{"{p}物业服务差", "{p}物业费上涨不合理", "{p}物业不作为"},
		[]string{"物业管理混乱，保洁和保安都不到位", "物业费上涨没有征求业主意见", "公共设施损坏物业迟迟不修", "希望街道督促物业整改"}},
	{"小区物业", 15, []string{"{p}电梯经常故障", "{p}老旧小区加装电梯", "{p}电梯困人"},
		[]string{"电梯经常停运，老人上下楼很困难", "希望推动老旧小区加装电梯", "电梯维保不到位存在安全隐患", "高层住户意见很大"}},
	{"违章建筑", 14, []string{"{p}违章搭建", "{p}私搭乱建影响通行", "{p}楼顶违建"},
		[]string{"有住户在楼顶搭建彩钢棚", "私搭乱建占用公共绿地", "违建影响采光和消防安全", "希望城管部门依法拆除"}},
	{"城乡建设", 12, []string{"{p}绿化带缺乏管护", "{p}树木遮挡采光", "{p}绿地被占用种菜"},
		[]string{"行道树多年未修剪，树枝伸进阳台", "绿化带杂草丛生", "部分居民毁绿种菜", "希望园林部门修剪树木"}},
	{"城乡建设", 16, []string{"{p}经常停水", "{p}自来水水压低", "{p}自来水发黄"},
		[]string{"高峰时段水压不足，楼上住户用不上水", "自来水发黄有异味", "停水前没有提前通知", "希望改造供水管网"}},
	{"城乡建设", 10, []string{"{p}燃气管道老化", "{p}希望接通管道燃气", "{p}燃气改造进度慢"},
		[]string{"燃气管道锈蚀严重，担心泄漏", "村里还在用瓶装液化气，希望接通管道燃气", "燃气改造开工后迟迟没有完工", "希望加快施工进度"}},
	{"医疗卫生", 16, []string{"{p}看病难", "{p}社区卫生服务站医生太少", "{p}挂号难"},
		[]string{"社区卫生服务站只有两名医生，排队时间很长", "专家号很难挂到", "希望增加常用药品种类", "老人看病希望提供便利"}},
	{"教育", 18, []string{"{p}孩子入学难", "{p}学位紧张", "{p}希望开通校车"},
		[]string{"新建小区入住人口多，学校学位不够", "孩子上学路途远，希望开通校车", "学区划分不合理", "希望教育部门统筹解决"}},
	{"交通出行", 20, []string{"{p}路口缺少红绿灯", "{p}需要增设斑马线", "{p}车速太快需要减速带"},
		[]string{"路口车流量大，没有红绿灯，经常发生事故", "学生过马路很危险", "路口没有路灯，夜间视线差", "希望交警部门设置交通信号灯"}},
	{"环境保护", 16, []string{"{p}工厂废气扰民", "{p}空气中有刺鼻异味", "{p}企业偷排废气"},
		[]string{"附近工厂晚上排放废气，气味刺鼻", "居民不敢开窗", "怀疑企业夜间偷排", "希望环保部门加强监测"}},
	{"水体污染", 14, []string{"{p}河道污染", "{p}河水发黑发臭", "{p}河道需要清淤"},
		[]string{"河道漂浮垃圾，水体发黑发臭", "周边有污水直排", "河道淤积严重，影响防汛", "希望开展河道整治"}},
	{"市场监管", 10, []string{"{p}农贸市场环境脏乱", "{p}菜场缺斤短两", "{p}希望建设菜市场"},
		[]string{"市场地面污水横流", "有摊贩缺斤短两", "附近没有菜市场，买菜不方便", "希望市场监管部门加强检查"}},
	{"城乡建设", 18, []string{"{p}电动车充电难", "{p}飞线充电存在隐患", "{p}希望安装充电桩"},
		[]string{"电动车没有地方充电，居民私拉电线", "飞线充电存在火灾隐患", "希望增设电动自行车充电桩", "新能源汽车充电桩太少"}},
	{"其他", 8, []string{"{p}快递无法送货上门", "{p}快递柜收费", "{p}快递堆放占道"},
		[]string{"快递只放驿站，老人取件不便", "快递柜超时收费不合理", "快递网点占用人行道分拣", "希望规范快递网点"}},
	{"其他", 10, []string{"{p}手机信号差", "{p}宽带网速慢", "{p}希望建设通信基站"},
		[]string{"家里手机信号很差，经常打不通电话", "宽带网速慢，影响孩子上网课", "附近没有通信基站", "希望运营商改善信号"}},
	{"小区物业", 14, []string{"{p}房屋漏水", "{p}外墙渗水", "{p}屋顶漏雨"},
		[]string{"下雨天屋顶漏水，墙面发霉", "外墙渗水维修基金申请困难", "楼上漏水楼下受损", "希望尽快维修"}},
	{"城乡建设", 10, []string{"{p}安置房迟迟不能交付", "{p}拆迁补偿不合理", "{p}安置房质量问题"},
		[]string{"拆迁安置房延期交付两年", "补偿标准不统一", "安置房墙面开裂", "希望尽快落实安置"}},
	{"就业创业", 8, []string{"{p}希望开展就业培训", "{p}失业人员再就业难", "{p}缺少招聘信息"},
		[]string{"村里年轻人外出多，留守人员就业难", "希望开展技能培训", "招聘信息发布渠道少", "希望提供就业岗位"}},
	{"医保社保", 12, []string{"{p}医保报销比例低", "{p}社保缴费不便", "{p}异地就医结算难"},
		[]string{"大病医保报销比例偏低", "老人不会在手机上缴费", "异地就医备案手续复杂", "希望简化办理流程"}},
	{"民政服务", 10, []string{"{p}低保申请难", "{p}困难家庭救助", "{p}临时救助"},
		[]string{"家庭生活困难申请低保没有通过", "因病致贫希望得到救助", "申请材料太多", "希望民政部门关心"}},
	{"民政服务", 6, []string{"{p}无障碍设施缺失", "{p}盲道被占用", "{p}残疾人出行难"},
		[]string{"盲道被车辆占用", "公共场所缺少无障碍通道", "轮椅无法进出", "希望完善无障碍设施"}},
	{"社会治安", 10, []string{"{p}犬只扰民", "{p}遛狗不牵绳", "{p}流浪狗伤人"},
		[]string{"有人遛狗不牵绳，小孩被吓到", "犬只夜间吠叫扰民", "流浪狗成群出没", "希望加强养犬管理"}},
	{"社会治安", 12, []string{"{p}消防通道被堵", "{p}消防设施损坏", "{p}消防栓没有水"},
		[]string{"消防通道长期被车辆占用", "楼道灭火器过期", "消防栓没有水压", "存在重大安全隐患"}},
	{"环境保护", 12, []string{"{p}餐饮油烟扰民", "{p}烧烤店油烟大", "{p}饭店油烟直排"},
		[]string{"楼下饭店油烟直排，窗户都是油", "烧烤摊营业到深夜", "油烟净化设备没有开启", "希望责令整改"}},
	{"农业农村", 10, []string{"{p}农田灌溉水渠损坏", "{p}农田缺水", "{p}水渠堵塞"},
		[]string{"灌溉水渠年久失修，漏水严重", "农田用水困难", "希望修缮水利设施", "影响今年春耕"}},
	{"农业农村", 10, []string{"{p}村道太窄", "{p}村道需要拓宽", "{p}村道硬化"},
		[]string{"村道太窄，两车无法交会", "路面是泥路，雨天泥泞", "希望拓宽硬化村道", "村民出行不便"}},
	{"城乡建设", 8, []string{"{p}公厕卫生差", "{p}希望建设公共厕所", "{p}公厕开放时间短"},
		[]string{"公共厕所卫生很差，气味难闻", "附近没有公厕", "公厕晚上不开放", "希望加强管理"}},
	{"其他", 10, []string{"{p}健身器材损坏", "{p}缺少体育场地", "{p}篮球场被占用"},
		[]string{"健身器材损坏存在安全隐患", "居民缺少运动场地", "篮球场被用来停车", "希望增设健身设施"}},
	{"其他", 6, []string{"{p}文化礼堂很少开放", "{p}图书室没有新书", "{p}希望开展文化活动"},
		[]string{"文化礼堂平时大门紧锁", "农家书屋书籍陈旧", "希望多组织文化活动", "丰富村民精神生活"}},
	{"社会治安", 12, []string{"{p}电动车被盗", "{p}监控探头损坏", "{p}治安状况差"},
		[]string{"小区电动车经常被盗", "监控探头坏了没人修", "夜间有陌生人出入", "希望加强巡逻"}},
	{"市场监管", 8, []string{"{p}无证经营", "{p}销售过期食品", "{p}食品安全隐患"},
		[]string{"有无证小作坊生产食品", "超市销售过期食品", "学校周边小摊卫生差", "希望市场监管部门查处"}},
	{"就业创业", 10, []string{"{p}工资被拖欠", "{p}农民工工资拖欠", "{p}讨薪难"},
		[]string{"工地拖欠工资半年", "老板联系不上", "希望劳动监察部门介入", "年关将至急需用钱"}},
	{"城乡建设", 8, []string{"{p}公租房申请", "{p}人才房分配", "{p}住房困难"},
		[]string{"家庭住房困难申请公租房", "人才房分配不透明", "租房价格太高", "希望增加保障性住房"}},
	{"城乡建设", 14, []string{"{p}老旧小区改造", "{p}改造施工质量差", "{p}希望纳入改造计划"},
		[]string{"小区建成三十多年，设施老化", "希望纳入老旧小区改造计划", "改造后道路又被挖开", "顺便更换路灯和雨污管网"}},
	{"其他", 6, []string{"{p}防汛设施不足", "{p}台风后树木倒伏", "{p}防汛沙袋不够"},
		[]string{"台风过后倒伏树木没有清理", "地势低洼每年被淹", "防汛物资储备不足", "希望提前做好防汛准备"}},
	{"交通出行", 12, []string{"{p}学校门口交通拥堵", "{p}接送孩子车辆乱停", "{p}放学时段拥堵"},
		[]string{"上学放学时段学校门口严重拥堵", "家长车辆乱停乱放", "存在安全隐患", "希望交警高峰时段疏导"}},
	{"环境保护", 12, []string{"{p}渣土车扬尘", "{p}工地扬尘污染", "{p}渣土车抛洒"},
		[]string{"渣土车沿路抛洒", "工地扬尘很大，窗台都是灰", "大车超速行驶", "希望加强工地管理"}},
	{"教育", 8, []string{"{p}托育机构太少", "{p}幼儿园入园难", "{p}希望开办普惠托育"},
		[]string{"双职工家庭孩子没人带", "附近幼儿园学位紧张", "民办幼儿园收费太高", "希望增加普惠性托育资源"}},
	{"交通出行", 10, []string{"{p}共享单车乱停放", "{p}共享单车堵塞通道", "{p}单车堆积"},
		[]string{"共享单车堆满人行道", "地铁口单车乱停", "希望企业及时调度", "影响行人通行"}},
	{"其他", 6, []string{"{p}公园管理混乱", "{p}公园设施损坏", "{p}公园卫生差"},
		[]string{"公园内路灯损坏", "座椅和步道损坏", "公园垃圾没人清理", "希望加强管理"}},
	{"其他", 5, []string{"{p}路牌缺失", "{p}门牌号混乱", "{p}导航找不到地址"},
		[]string{"路口没有路牌，外地人找不到路", "门牌号编排混乱", "快递和救护车都找不到", "希望规范地名标识"}},
	{"其他", 6, []string{"{p}企业办事难", "{p}审批时间长", "{p}营商环境"},
		[]string{"企业办理审批手续跑了好几趟", "审批时间太长", "希望推行一网通办", "优化营商环境"}},
}

var (
	benchEstates = []string{"明州花园", "新城嘉园", "春晓苑", "庐山花园", "长江小区", "泰山苑", "华山新村", "太河社区",
		"凤凰城", "银泰花园", "阳光家园", "富丽苑", "金湾华庭", "滨江名苑", "东方丽都", "嵩山小区", "九峰山庄", "港城嘉苑",
		"黄山新村", "柴桥新村", "霞浦花苑", "梅山家园", "郭巨老街", "白峰新村", "大榭花园", "小港新村"}
	benchRoads = []string{"庐山西路", "长江路", "明州路", "泰山路", "华山路", "太河路", "岷山路", "黄山路", "新大路",
		"中河路", "恒山路", "衡山路", "进港路", "沿山大河路", "大港路", "凤洋路", "渡头路", "灵岩路"}
	benchVillageWords = []string{"村", "社区"}
	benchIntro        = []string{"居民反映：", "群众来访反映：", "村民反映：", "多名业主反映：", "代表接待时群众反映："}
	benchGeneric      = []string{"居民多次反映，至今没有解决。", "希望相关部门尽快处理。", "给周边群众生活带来很大不便。",
		"存在安全隐患。", "请代表帮忙协调。", "已向街道反映过，答复说在研究。", "群众意见较大。", "希望给予答复。"}
	benchSurnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"}
	benchGiven    = []string{"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞", "平"}
	benchChannels = benchWeighted[string]{{"visit", 35}, {"phone", 15}, {"online", 15}, {"home_visit", 10}, {"letter", 5},
		{"mailbox", 5}, {"diary", 5}, {"opinion_box", 3}, {"forum", 4}, {"hotline", 3}}
)

type benchWeighted[T any] []struct {
	v T
	w int
}

func (ws benchWeighted[T]) pick(r *mrand.Rand) T {
	total := 0
	for _, x := range ws {
		total += x.w
	}
	n := r.IntN(total)
	for _, x := range ws {
		if n < x.w {
			return x.v
		}
		n -= x.w
	}
	return ws[len(ws)-1].v
}

var benchTopicTotal = func() int {
	n := 0
	for _, t := range benchTopics {
		n += t.weight
	}
	return n
}()

func benchPickTopic(r *mrand.Rand) *benchTopic {
	n := r.IntN(benchTopicTotal)
	for i := range benchTopics {
		if n < benchTopics[i].weight {
			return &benchTopics[i]
		}
		n -= benchTopics[i].weight
	}
	return &benchTopics[0]
}

// benchText returns a title (about 10 characters) and a content (about
// 110): a place, three or four sentences of the topic, how long it has
// lasted, where exactly, and a plea.
func benchText(r *mrand.Rand, townName string) (title, content, location string) {
	t := benchPickTopic(r)
	var place string
	switch r.IntN(3) {
	case 0:
		place = benchEstates[r.IntN(len(benchEstates))]
	case 1:
		place = benchRoads[r.IntN(len(benchRoads))]
	default:
		place = strings.TrimSuffix(strings.TrimSuffix(townName, "街道"), "区") + benchSurnames[r.IntN(len(benchSurnames))] + "家" + benchVillageWords[r.IntN(2)]
	}
	title = strings.ReplaceAll(t.titles[r.IntN(len(t.titles))], "{p}", place)
	location = benchRoads[r.IntN(len(benchRoads))] + strconv.Itoa(1+r.IntN(300)) + "号"
	var c strings.Builder
	c.WriteString(townName + place + benchIntro[r.IntN(len(benchIntro))])
	first := r.IntN(len(t.lines))
	for i, n := 0, 3+r.IntN(2); i < n; i++ {
		c.WriteString(t.lines[(first+i)%len(t.lines)])
		c.WriteString("，")
	}
	if r.IntN(2) == 0 {
		c.WriteString("问题已持续" + strconv.Itoa(1+r.IntN(24)) + "个月，")
	}
	c.WriteString("具体位置在" + location + "附近。")
	for i, n := 0, 1+r.IntN(3); i < n; i++ {
		c.WriteString(benchGeneric[r.IntN(len(benchGeneric))])
	}
	return title, c.String(), location
}

func benchName(r *mrand.Rand) string {
	return benchSurnames[r.IntN(len(benchSurnames))] + benchGiven[r.IntN(len(benchGiven))]
}

func benchPhone(r *mrand.Rand) string {
	return fmt.Sprintf("13%d%08d", 5+r.IntN(5), r.IntN(100000000))
}

// ---------------------------------------------------------------------------
// BenchmarkCaseIntake: CreateCase as a liaison, one transaction per case
// (synchronous=FULL on SQLite), then the read-back CreateCase does.

func BenchmarkCaseIntake(b *testing.B) {
	benchDialects(b, func(b *testing.B, dialect string) {
		db := benchOpen(b, dialect)
		w := benchBuildWorld(b, db)
		ctx := benchAs(b, db, "liaisona")
		a := w.town(benchTownA)
		input := func(r *mrand.Rand) lianluo.CaseInput {
			title, content, loc := benchText(r, a.name)
			region := a.code
			if r.IntN(5) > 0 {
				region = a.villages[r.IntN(len(a.villages))]
			}
			return lianluo.CaseInput{Channel: benchChannels.pick(r), StationID: &a.station, Title: title, Content: content,
				Category: "城乡建设", RegionCode: region, Location: loc,
				Submitter:  lianluo.Submitter{Name: benchName(r), Phone: benchPhone(r), Address: a.name + benchEstates[r.IntN(len(benchEstates))]},
				ReceivedBy: []int64{a.deputy}, Urgent: r.IntN(100) == 0}
		}
		b.Run("serial", func(b *testing.B) {
			r := mrand.New(mrand.NewPCG(1, 1))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := db.CreateCase(ctx, input(r)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cases/s")
		})
		// 4×GOMAXPROCS goroutines: clerks at several stations registering at once.
		b.Run("parallel", func(b *testing.B) {
			var seed atomic.Uint64
			b.ReportAllocs()
			b.SetParallelism(4)
			b.RunParallel(func(pb *testing.PB) {
				r := mrand.New(mrand.NewPCG(2, seed.Add(1)))
				for pb.Next() {
					if _, err := db.CreateCase(ctx, input(r)); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cases/s")
		})
	})
}

// ---------------------------------------------------------------------------
// The large data set.

type benchDataset struct {
	db       *DB
	n        int
	admin    context.Context
	officeA  context.Context
	liaisonA context.Context
	genTime  time.Duration // when generated in an earlier run: as recorded then
	size     string
	reused   bool
	teardown func()
}

// benchSets holds the data sets kept (LIANLUO_BENCH_DIR) and already opened
// in this run, so that BenchmarkCaseList and BenchmarkCaseSearch share them.
var benchSets = map[string]*benchDataset{}

func benchCaseCount(b *testing.B) int {
	b.Helper()
	s := os.Getenv("LIANLUO_BENCH_CASES")
	if s == "" {
		b.Skip("set LIANLUO_BENCH_CASES=1000000 (and LIANLUO_BENCH_DIR to keep the data set between runs) to run; see BENCHMARKS.md")
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1000 {
		b.Fatalf("LIANLUO_BENCH_CASES=%q: want a number of cases ≥ 1000", s)
	}
	return n
}

// benchCases returns the data set of LIANLUO_BENCH_CASES cases for the
// dialect: kept from an earlier run, or generated now.
func benchCases(b *testing.B, dialect string, n int) *benchDataset {
	b.Helper()
	if ds := benchSets[dialect]; ds != nil && ds.n == n {
		return ds
	}
	dir := os.Getenv("LIANLUO_BENCH_DIR")
	keep := dir != ""
	cfg := Config{Now: func() time.Time { return benchNow }}
	var pgName string
	switch {
	case dialect == SQLite && keep:
		cfg.DataDir = filepath.Join(dir, fmt.Sprintf("sqlite-%d", n))
	case dialect == SQLite:
		cfg.DataDir = b.TempDir()
	case keep:
		pgName = fmt.Sprintf("lianluo_bench_%d", n)
		cfg.DatabaseURL = benchKeptPostgres(b, pgName)
	default:
		cfg.DatabaseURL = pgtest.NewDatabase(b)
	}
	if dialect == Postgres {
		// PostgreSQL needs the field encryption key (migration 0017); a
		// kept data set keeps its key beside the SQLite one.
		keyDir := dir
		if !keep {
			keyDir = b.TempDir()
		}
		cfg.KeyFile = filepath.Join(keyDir, fmt.Sprintf("postgres-%d.key", n))
		if _, err := os.Stat(cfg.KeyFile); os.IsNotExist(err) {
			if err := os.MkdirAll(keyDir, 0o700); err != nil {
				b.Fatal(err)
			}
			if err := GenerateKeyFile(cfg.KeyFile); err != nil {
				b.Fatal(err)
			}
		}
	}
	db, err := Open(context.Background(), cfg)
	if err != nil {
		b.Fatalf("open %s: %v", dialect, err)
	}
	ds := &benchDataset{db: db, n: n}
	ds.teardown = func() { ds.db.Close() }
	var version string
	var rows int
	var secs float64
	err = db.read.QueryRow(`SELECT version, n, seconds FROM bench_dataset`).Scan(&version, &rows, &secs)
	if err == nil && version == benchDataVersion && rows == n {
		ds.reused, ds.genTime = true, time.Duration(secs*float64(time.Second))
	} else {
		if keep {
			// A kept data set of another size or version, or an interrupted
			// generation: start again from an empty database.
			db.Close()
			if dialect == SQLite {
				if err := os.RemoveAll(cfg.DataDir); err != nil {
					b.Fatal(err)
				}
			} else {
				benchDropPostgres(b, pgName)
				benchCreatePostgres(b, pgName)
			}
			if db, err = Open(context.Background(), cfg); err != nil {
				b.Fatalf("open %s: %v", dialect, err)
			}
			ds.db = db
		}
		w := benchBuildWorld(b, db)
		start := time.Now()
		benchGenerate(b, w, n)
		ds.genTime = time.Since(start)
		if _, err := db.write.Exec(`CREATE TABLE bench_dataset (version TEXT NOT NULL, n INTEGER NOT NULL, seconds REAL NOT NULL)`); err != nil {
			b.Fatal(err)
		}
		if _, err := db.write.Exec(db.rebind(`INSERT INTO bench_dataset (version, n, seconds) VALUES ($1, $2, $3)`),
			benchDataVersion, n, ds.genTime.Seconds()); err != nil {
			b.Fatal(err)
		}
	}
	// Undo what an interrupted run may have left of a proposal.
	undo := []string{`DROP INDEX IF EXISTS bench_cases_status_id`}
	if dialect == SQLite {
		undo = append(undo, benchDropStats...)
	} else {
		undo = append(undo, `ALTER DATABASE `+benchDatabaseName(b, ds.db)+` RESET work_mem`)
	}
	for _, q := range undo {
		if _, err := ds.db.write.Exec(q); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	ds.size = benchSize(b, ds.db, cfg)
	ds.admin = benchAs(b, ds.db, "admin")
	ds.officeA = benchAs(b, ds.db, "officea")
	ds.liaisonA = benchAs(b, ds.db, "liaisona")
	how := "generated"
	if ds.reused {
		how = "reused (generated in an earlier run)"
	}
	// On stderr, not b.Logf: a benchmark's log shows only with -v.
	fmt.Fprintf(os.Stderr, "%s: %d cases %s in %s (%.0f cases/s); %s\n", dialect, n, how, ds.genTime.Round(time.Second),
		float64(n)/ds.genTime.Seconds(), ds.size)
	if keep {
		benchSets[dialect] = ds
	} else {
		b.Cleanup(ds.teardown)
	}
	return ds
}

// benchKeptPostgres creates the database name unless it is there (a kept
// data set) and returns its URL.
func benchKeptPostgres(b *testing.B, name string) string {
	b.Helper()
	admin := benchPostgresAdmin(b)
	var exists bool
	err := admin.QueryRow(`SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists)
	if err == nil && !exists {
		_, err = admin.Exec("CREATE DATABASE " + name)
	}
	admin.Close()
	if err != nil {
		b.Fatalf("database %s: %v", name, err)
	}
	return benchPostgresURL(b, name)
}

// benchSize describes the size of the database and of its cases table.
func benchSize(b *testing.B, db *DB, cfg Config) string {
	b.Helper()
	if db.Dialect == Postgres {
		var all, cases, heap, idx, gin int64
		err := db.read.QueryRow(`SELECT pg_database_size(current_database()), pg_total_relation_size('cases'),
			pg_relation_size('cases') + COALESCE(pg_relation_size(reltoastrelid), 0), pg_indexes_size('cases'), pg_relation_size('cases_search')
			FROM pg_class WHERE relname = 'cases'`).Scan(&all, &cases, &heap, &idx, &gin)
		if err != nil {
			b.Fatal(err)
		}
		return fmt.Sprintf("database %s; cases %s = heap %s + indexes %s (GIN %s)",
			benchMB(all), benchMB(cases), benchMB(heap), benchMB(idx), benchMB(gin))
	}
	if _, err := db.write.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(db.URL)
	if err != nil {
		b.Fatal(err)
	}
	out := "file " + benchMB(st.Size())
	// dbstat is compiled into modernc's SQLite; say where the bytes are.
	rows, err := db.read.Query(`SELECT CASE WHEN name LIKE 'cases_fts%' THEN 'FTS5' WHEN name = 'cases' THEN 'cases'
		WHEN name LIKE 'cases_%' OR name LIKE 'sqlite_autoindex_cases%' THEN 'cases indexes' ELSE 'other' END AS part, SUM(pgsize)
		FROM dbstat GROUP BY part ORDER BY 2 DESC`)
	if err != nil {
		return out
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var part string
		var size int64
		if err := rows.Scan(&part, &size); err != nil {
			return out
		}
		parts = append(parts, part+" "+benchMB(size))
	}
	return out + " = " + strings.Join(parts, " + ")
}

func benchMB(n int64) string { return fmt.Sprintf("%.0f MB", float64(n)/(1<<20)) }

// benchRow is one generated case.
type benchRow struct {
	args []any
	doc  string
}

// benchStatuses: what a case of a given age has become. Most old cases are
// closed or archived; recent ones are in the workflow; a few percent of the
// cases between one month and a year are still open past their deadline.
var (
	benchNew   = benchWeighted[string]{{"registered", 60}, {"answered", 15}, {"explained", 5}, {"pending_approval", 15}, {"not_accepted", 5}}
	benchMonth = benchWeighted[string]{{"registered", 3}, {"answered", 15}, {"explained", 8}, {"not_accepted", 3}, {"pending_approval", 6},
		{"assigned", 8}, {"handling", 45}, {"replied", 8}, {"awaiting_evaluation", 4}}
	benchYear = benchWeighted[string]{{"answered", 150}, {"explained", 80}, {"not_accepted", 30}, {"pending_approval", 3}, {"assigned", 3},
		{"handling", 30}, {"replied", 20}, {"awaiting_evaluation", 30}, {"supervising", 15}, {"closed", 619}, {"archived", 20}}
	benchOld = benchWeighted[string]{{"answered", 80}, {"explained", 50}, {"not_accepted", 20}, {"closed", 100}, {"archived", 750}}
)

// benchGen generates row i of n, deterministically.
func (w *benchWorld) benchGen(r *mrand.Rand, i, n int) benchRow {
	const span = 3 * 365 * 24 * time.Hour
	created := benchNow.Add(-span + time.Duration(float64(span)*(float64(i)+r.Float64())/float64(n))).Truncate(time.Microsecond)
	age := benchNow.Sub(created).Hours() / 24
	// The town by weight; a village of it, or the town itself.
	k := r.IntN(w.total)
	var t *benchTown
	for _, t = range w.towns {
		if k < t.weight {
			break
		}
		k -= t.weight
	}
	region := t.code
	if r.IntN(5) > 0 && len(t.villages) > 0 {
		region = t.villages[r.IntN(len(t.villages))]
	}
	var station *int64
	if r.IntN(10) < 8 {
		station = &t.station
	}
	title, content, loc := benchText(r, t.name)
	var status string
	switch {
	case age < 3:
		status = benchNew.pick(r)
	case age < 30:
		status = benchMonth.pick(r)
	case age < 365:
		status = benchYear.pick(r)
	default:
		status = benchOld.pick(r)
	}
	var due, closed *time.Time
	version, round, archived := 1, 1, 0
	day := 24 * time.Hour
	switch status {
	case "pending_approval":
		d := created.Add(10 * day)
		due, version = &d, 2
	case "assigned", "handling", "replied", "awaiting_evaluation", "supervising", "closed", "archived":
		d := created.Add(21 * day)
		due, version = &d, 3+r.IntN(5)
	}
	switch status {
	case "answered", "explained", "not_accepted":
		c := created.Add(time.Duration(r.IntN(72)) * time.Hour)
		closed, version = &c, 2
	case "closed", "archived":
		c := created.Add(time.Duration(10+r.IntN(30)) * day)
		closed = &c
		if status == "archived" {
			archived = c.In(lianluo.Beijing).Year()
		}
	case "supervising":
		round = 2
	}
	if closed != nil && closed.After(benchNow) {
		c := benchNow.Add(-time.Hour)
		closed = &c
	}
	updated := created
	if closed != nil {
		updated = *closed
	}
	code := benchTrackingCode(i)
	return benchRow{
		args: []any{int64(i + 1), code, lianluo.KindOpinion, benchChannels.pick(r), station, t.org, title, content,
			benchPickTopic(r).category, region, loc, benchName(r), benchPhone(r), t.name + benchEstates[r.IntN(len(benchEstates))],
			r.IntN(100) == 0, r.IntN(50) == 0, status, round, due, due, closed, archived, version, created, updated},
		doc: textsearch.Document(title, content),
	}
}

// benchTrackingCode spreads i over the tracking-code space, as random codes
// are: i·P mod 31¹⁰ is a bijection for P prime to 31.
func benchTrackingCode(i int) string {
	const p, m = 2654435761, 819628286980801 // 31^10
	x := (uint64(i) + 1) * p % m
	out := make([]byte, 10)
	for k := range out {
		out[k] = trackingAlphabet[x%31]
		x /= 31
	}
	return string(out)
}

const benchColumns = `id, tracking_code, kind, channel, station_id, org_id, title, content, category, region_code,
	location, submitter_name, submitter_phone, submitter_address, urgent, confidential, status, round,
	due_at, original_due_at, closed_at, archived_year, version, created_at, updated_at, search`

// benchGenerate bulk-loads n cases: a goroutine generates and tokenizes
// batches of 1,000 while the caller inserts them with multi-row INSERTs
// (1,000 rows a statement on PostgreSQL, 20 on SQLite), committing every
// 50,000 rows.
func benchGenerate(b *testing.B, w *benchWorld, n int) {
	b.Helper()
	db := w.db
	const batch, txRows = 1000, 50000
	ctx := context.Background()
	if db.Dialect == SQLite {
		// The writer's page cache only for the load: 2 MB (the default)
		// spills dirty index pages to the WAL over and over.
		if _, err := db.write.Exec(`PRAGMA cache_size = -262144`); err != nil {
			b.Fatal(err)
		}
		defer db.write.Exec(`PRAGMA cache_size = -2000`)
	}
	batches := make(chan []benchRow, 4)
	go func() {
		defer close(batches)
		r := mrand.New(mrand.NewPCG(20260302, 1))
		for start := 0; start < n; start += batch {
			rows := make([]benchRow, 0, batch)
			for i := start; i < min(start+batch, n); i++ {
				rows = append(rows, w.benchGen(r, i, n))
			}
			batches <- rows
		}
	}()
	start, done := time.Now(), 0
	// modernc's driver looks each parameter up by name, a linear search:
	// binding a statement costs the square of its parameters. SQLite gets
	// statements of 20 rows (520 parameters), prepared once a transaction.
	perStmt := 1000
	if db.Dialect == SQLite {
		perStmt = 20
	}
	exec := func(tx *Tx, stmts map[string]*sql.Stmt, q string, args []any) error {
		if db.Dialect == Postgres {
			_, err := tx.Exec(ctx, q, args...) // pgx caches the prepared statement
			return err
		}
		st := stmts[q]
		if st == nil {
			var err error
			if st, err = tx.tx.PrepareContext(ctx, db.rebind(q)); err != nil {
				return err
			}
			stmts[q] = st
		}
		_, err := st.ExecContext(ctx, normArgs(args)...)
		return err
	}
	insert := func(tx *Tx, stmts map[string]*sql.Stmt, rows []benchRow) error {
		var sb strings.Builder
		var args []any
		cols := benchColumns
		if db.Dialect == Postgres {
			cols += `, search_tsv`
		}
		sb.WriteString(`INSERT INTO cases (` + cols + `) VALUES `)
		for k, row := range rows {
			if k > 0 {
				sb.WriteString(", ")
			}
			sb.WriteByte('(')
			for j, a := range row.args {
				args = append(args, a)
				if j > 0 {
					sb.WriteString(", ")
				}
				sb.WriteString("$" + strconv.Itoa(len(args)))
			}
			args = append(args, row.doc)
			doc := "$" + strconv.Itoa(len(args))
			sb.WriteString(", " + doc)
			if db.Dialect == Postgres {
				sb.WriteString(", to_tsvector('simple', " + doc + ")")
			}
			sb.WriteByte(')')
		}
		if err := exec(tx, stmts, sb.String(), args); err != nil {
			return err
		}
		if db.Dialect == Postgres {
			return nil
		}
		// The same FTS5 rows indexSearch writes, batched.
		sb.Reset()
		args = args[:0]
		sb.WriteString(`INSERT INTO cases_fts (rowid, search) VALUES `)
		for k, row := range rows {
			if k > 0 {
				sb.WriteString(", ")
			}
			args = append(args, row.args[0], row.doc)
			fmt.Fprintf(&sb, "($%d, $%d)", len(args)-1, len(args))
		}
		return exec(tx, stmts, sb.String(), args)
	}
	for {
		var err error
		more := true
		err = db.transact(ctx, func(tx *Tx) error {
			stmts := map[string]*sql.Stmt{}
			for k := 0; k < txRows/batch; k++ {
				rows, ok := <-batches
				if !ok {
					more = false
					return nil
				}
				for len(rows) > 0 {
					chunk := rows[:min(perStmt, len(rows))]
					if err := insert(tx, stmts, chunk); err != nil {
						return err
					}
					rows = rows[len(chunk):]
					done += len(chunk)
				}
			}
			return nil
		})
		if err != nil {
			for range batches { // let the generator finish
			}
			b.Fatalf("load cases: %v", err)
		}
		if more && done%200000 == 0 {
			fmt.Fprintf(os.Stderr, "%s: %d/%d cases loaded in %s\n", db.Dialect, done, n, time.Since(start).Round(time.Second))
		}
		if !more {
			break
		}
	}
	if db.Dialect == Postgres {
		for _, q := range []string{`SELECT setval('cases_id_seq', (SELECT MAX(id) FROM cases))`, `VACUUM ANALYZE cases`} {
			if _, err := db.write.Exec(q); err != nil {
				b.Fatalf("%s: %v", q, err)
			}
		}
	}
	fmt.Fprintf(os.Stderr, "%s: %d cases loaded and indexed in %s\n", db.Dialect, n, time.Since(start).Round(time.Second))
}

// ---------------------------------------------------------------------------
// BenchmarkCaseList and BenchmarkCaseSearch.

type benchScenario struct {
	name    string
	office  bool // as the 大碶 town office; else as the administrator
	f       lianluo.CaseFilter
	liaison bool // as the liaison of 大碶's station (overrides office)
}

var benchListScenarios = []benchScenario{
	{"admin-all", false, lianluo.CaseFilter{}, false},
	{"town-office", true, lianluo.CaseFilter{}, false},
	{"station-liaison", false, lianluo.CaseFilter{}, true},
	{"town-office-status", true, lianluo.CaseFilter{Status: []lianluo.CaseStatus{lianluo.StatusHandling}}, false},
	{"village-filter", false, lianluo.CaseFilter{Region: "330206004002"}, false}, // 坝头社区, one of 大碶's 27
	{"handling-overdue", false, lianluo.CaseFilter{Status: []lianluo.CaseStatus{lianluo.StatusHandling}, Overdue: true}, false},
	{"closed-page50", false, lianluo.CaseFilter{Status: []lianluo.CaseStatus{lianluo.StatusClosed}, Page: lianluo.Page{Page: 50}}, false},
}

var benchSearchScenarios = []benchScenario{
	{"q2-admin", false, lianluo.CaseFilter{Q: "路灯"}, false},
	{"q2-town-office", true, lianluo.CaseFilter{Q: "路灯"}, false},
	{"q4-admin", false, lianluo.CaseFilter{Q: "路灯不亮"}, false},
}

func BenchmarkCaseList(b *testing.B)   { benchScenarios(b, benchListScenarios, true) }
func BenchmarkCaseSearch(b *testing.B) { benchScenarios(b, benchSearchScenarios, false) }

// benchScenarios measures each scenario three ways, then FindCases again
// under two changes that are PROPOSALS, not in the store:
//
//	<scenario>/FindCases   the store
//	<scenario>/before      the store before it was shaped for a million
//	                       cases: one query with COUNT(*) OVER (), region
//	                       scopes as LIKE, search as c.id IN (… MATCH …)
//	<scenario>/count       an exact COUNT(*) of what FindCases selects (it
//	                       counts only to lianluo.MaxListTotal+1)
//	analyzed/<scenario>    SQLite only: FindCases after ANALYZE, as
//	                       `PRAGMA optimize` would leave it
//	status-id/<scenario>   FindCases with an index cases (status, id)
//	                       (lists only: no search scenario filters status)
//	work-mem/<scenario>    PostgreSQL only: FindCases with work_mem 64MB
//	                       (the server default is 4MB), set on the data
//	                       set's database alone
//
// Each proposal is undone after it is measured, so a kept data set stays
// as generated.
func benchScenarios(b *testing.B, scenarios []benchScenario, statusIndex bool) {
	n := benchCaseCount(b)
	benchDialects(b, func(b *testing.B, dialect string) {
		ds := benchCases(b, dialect, n)
		db := ds.db
		ctxOf := func(sc benchScenario) context.Context {
			if sc.liaison {
				return ds.liaisonA
			}
			if sc.office {
				return ds.officeA
			}
			return ds.admin
		}
		run := func(b *testing.B, name string, find func() (int, error)) {
			b.Run(name, func(b *testing.B) {
				var total int
				for b.Loop() {
					var err error
					if total, err = find(); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(total), "rows")
			})
		}
		findCases := func(sc benchScenario) func() (int, error) {
			return func() (int, error) {
				_, total, err := db.FindCases(ctxOf(sc), sc.f)
				return total, err
			}
		}
		for _, sc := range scenarios {
			ctx := ctxOf(sc)
			b.Run(sc.name, func(b *testing.B) {
				benchCheck(b, db, ctx, sc.f)
				run(b, "FindCases", findCases(sc))
				run(b, "before", func() (int, error) {
					_, total, err := benchBefore(ctx, db, sc.f)
					return total, err
				})
				run(b, "count", func() (int, error) { return benchExactCount(ctx, db, sc.f) })
			})
		}
		proposal := func(name string, do, undo []string) {
			b.Run(name, func(b *testing.B) {
				exec := func(qs []string) {
					for _, q := range qs {
						if _, err := db.write.Exec(q); err != nil {
							b.Fatalf("%s: %v", q, err)
						}
					}
					// New connections read the new schema, statistics and settings.
					db.read.SetMaxIdleConns(0)
					db.read.SetMaxIdleConns(benchIdleConns[dialect])
				}
				exec(do)
				defer exec(undo)
				for _, sc := range scenarios {
					benchCheck(b, db, ctxOf(sc), sc.f)
					run(b, sc.name, findCases(sc))
				}
			})
		}
		if dialect == SQLite {
			proposal("analyzed", []string{`ANALYZE`}, benchDropStats)
		}
		if statusIndex {
			proposal("status-id", []string{`CREATE INDEX bench_cases_status_id ON cases (status, id)`},
				[]string{`DROP INDEX bench_cases_status_id`})
		}
		if dialect == Postgres {
			name := benchDatabaseName(b, db)
			proposal("work-mem", []string{`ALTER DATABASE ` + name + ` SET work_mem = '64MB'`},
				[]string{`ALTER DATABASE ` + name + ` RESET work_mem`})
		}
	})
}

// benchIdleConns is what open gives each dialect's read pool.
var benchIdleConns = map[string]int{SQLite: 4, Postgres: 10}

func benchDatabaseName(b *testing.B, db *DB) string {
	b.Helper()
	var name string
	if err := db.read.QueryRow(`SELECT current_database()`).Scan(&name); err != nil {
		b.Fatal(err)
	}
	return name
}

// benchDropStats removes what ANALYZE leaves in a SQLite database. The
// store never runs ANALYZE, so a data set is measured without statistics.
var benchDropStats = []string{`DROP TABLE IF EXISTS sqlite_stat1`, `DROP TABLE IF EXISTS sqlite_stat4`,
	`ANALYZE sqlite_schema`} // reloads the (now missing) statistics

// benchWhere builds FindCases's conditions for the filters the scenarios use
// (scope, region, status, overdue, q) from the store's own pieces, and
// returns the FROM it pages and counts.
func benchWhere(ctx context.Context, db *DB, f lianluo.CaseFilter) (w *where, from string) {
	w = &where{}
	from = "cases c"
	scopeCases(w, lianluo.ActorFromContext(ctx), "c")
	benchFilters(db, w, f, func(w *where) string { return regionRange(w, "c.region_code", f.Region) })
	if q := strings.TrimSpace(f.Q); q != "" && searchJoin(db, w, "cases", "c", []string{"title", "content"}, q) {
		from = "cases_fts JOIN cases c ON c.id = cases_fts.rowid"
	}
	return w, from
}

// benchFilters adds the status, region and overdue filters; region builds
// the region condition.
func benchFilters(db *DB, w *where, f lianluo.CaseFilter, region func(w *where) string) {
	if len(f.Status) > 0 {
		var ph []string
		for _, s := range f.Status {
			ph = append(ph, w.arg(s))
		}
		w.add("c.status IN (" + strings.Join(ph, ", ") + ")")
	}
	if f.Region != "" {
		w.add(region(w))
	}
	if f.Overdue {
		w.add("c.status IN ('pending_approval', 'assigned', 'handling') AND c.due_at < " + w.arg(db.Now().UTC()))
	}
}

// benchExactCount counts every case FindCases selects.
func benchExactCount(ctx context.Context, db *DB, f lianluo.CaseFilter) (int, error) {
	w, from := benchWhere(ctx, db, f)
	var total int
	err := db.reader().QueryRow(ctx, `SELECT COUNT(*) FROM `+from+w.String(), w.args...).Scan(&total)
	return total, err
}

// benchBefore is FindCases as it was before commit 59e5058 ("Case lists for
// a million cases"), for the scenarios' filters: one query whose
// COUNT(*) OVER () makes the database join, sort and count every match to
// return 20 rows.
func benchBefore(ctx context.Context, db *DB, f lianluo.CaseFilter) ([]*lianluo.Case, int, error) {
	var w where
	a := lianluo.ActorFromContext(ctx)
	switch {
	case a == nil:
		w.add("1 = 0")
	case !a.Scope.All:
		s := a.Scope
		var or []string
		for _, p := range s.Regions {
			or = append(or, "c.region_code LIKE "+w.arg(p+"%"))
		}
		if len(s.Orgs) > 0 {
			or = append(or, "c.org_id IN "+w.in(s.Orgs))
		}
		if len(s.Stations) > 0 {
			or = append(or, "c.station_id IN "+w.in(s.Stations))
		}
		if len(s.Deputies) > 0 {
			or = append(or, "c.id IN (SELECT case_id FROM case_deputies WHERE deputy_id IN "+w.in(s.Deputies)+")")
		}
		if len(s.Units) > 0 {
			or = append(or, "c.id IN (SELECT case_id FROM case_units WHERE org_id IN "+w.in(s.Units)+")")
		}
		addOr(&w, or)
	}
	benchFilters(db, &w, f, func(w *where) string { return "c.region_code LIKE " + w.arg(f.Region+"%") })
	if q := strings.TrimSpace(f.Q); q != "" {
		searchClause(db, &w, "cases", "c", []string{"title", "content"}, q)
	}
	q := `SELECT ` + caseColumns + `, COUNT(*) OVER ()` + caseFrom + w.String() + ` ORDER BY c.id DESC` + w.page(f.Page)
	out, total, err := queryList(ctx, db.reader(), q, w.args,
		func(sc interface{ Scan(...any) error }, c *lianluo.Case, n *int) error {
			return scanCase(db.keys, sc, c, n)
		})
	for _, c := range out {
		lianluo.MaskSubmitterFor(a, c)
	}
	return out, total, err
}

// benchCheck checks, once, that FindCases and the earlier query return the
// same page, and the totals agree.
func benchCheck(b *testing.B, db *DB, ctx context.Context, f lianluo.CaseFilter) {
	b.Helper()
	got, total, err := db.FindCases(ctx, f)
	if err != nil {
		b.Fatal(err)
	}
	if len(got) == 0 {
		b.Fatal("the scenario matches nothing: the data set does not fit it")
	}
	want, exact, err := benchBefore(ctx, db, f)
	if err != nil {
		b.Fatal(err)
	}
	if len(got) != len(want) {
		b.Fatalf("FindCases: %d rows; before %d", len(got), len(want))
	}
	for i := range got {
		if got[i].ID != want[i].ID || got[i].StationName != want[i].StationName || got[i].RegionName != want[i].RegionName {
			b.Fatalf("FindCases: row %d is case %d; before %d", i, got[i].ID, want[i].ID)
		}
	}
	// FindCases counts nothing: the total is known only when the page
	// reaches the end of the matches.
	wantTotal := exact
	if f.Page.Offset()+len(got) < exact {
		wantTotal = lianluo.TotalUnknown
	}
	if n, err := benchExactCount(ctx, db, f); err != nil || n != exact || total != wantTotal {
		b.Fatalf("totals: FindCases %d, before %d, count %d (%v)", total, exact, n, err)
	}
}
