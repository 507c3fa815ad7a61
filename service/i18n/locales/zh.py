"""简体中文界面文字。键和 ``{placeholders}`` 必须与其他语言一致。"""

MESSAGES: dict[str, str] = {
    # survey refusals (survey.<code>): service/workshops/survey/messages.py in Chinese
    "survey.unknown_encoding": "未知的编码“{encoding}”",
    "survey.not_decodable": (
        "文件不是有效的 {encoding} 编码：第 {line} 行（偏移量 {offset}）的字节 0x{byte} 无法解码。"
        "请将文件另存为“CSV UTF-8”，或在“文件编码”中选择保存时所用的编码（中文版 Excel 导出的 CSV "
        "一般为 GB18030）"
    ),
    "survey.xlsx_as_csv": (
        "该文件是 Excel 工作簿（.xlsx），却按 CSV 发送：请按 XLSX 格式发送，或另存为“CSV UTF-8”"
    ),
    "survey.not_xlsx": "该文件不是 Excel 工作簿（.xlsx）：请另存为“Excel 工作簿”或“CSV UTF-8”",
    "survey.empty": "文件是空的",
    "survey.no_data_rows": "文件只有表头，没有数据行",
    "survey.too_many_rows": "数据行超过 {max} 行：请拆分文件",
    "survey.not_csv": "文件在第 {line} 行附近无法按 CSV 读取（{detail}）",
    "survey.duplicate_header": (
        "表头重复：第 {first} 列（“{first_header}”）和第 {second} 列都表示“{meaning}”"
    ),
    "survey.missing_columns": "缺少必填列：{chinese}（英文表头：{columns}）",
    "survey.cell_too_long": "该单元格有 {length} 个字符，最多允许 {max} 个",
    "survey.required_empty": "此项必填，但单元格为空",
    "survey.too_many_programs": "列出了 {count} 个项目，调查表最多允许 {max} 个",
    "survey.unknown_country": (
        "无法识别国家“{value}”：请填写 ISO 3166-1 两位字母代码（如 KH、CN）"
        "或国家名称（如 柬埔寨、中国）"
    ),
    "survey.unknown_kind": (
        "无法识别机构类型“{value}”：请填写 学院（各类职业院校、理工学院、培训中心）、大学、企业、"
        "政府、协会等组织 或 其他"
    ),
    "survey.no_language_code": (
        "“{value}”没有 ISO 639-1 两位字母代码，不能列为语言；请在机构简介中说明"
    ),
    "survey.unknown_language": (
        "无法识别语言“{value}”：请填写 ISO 639-1 代码（如 en、zh、km）或语言名称（如 中文、英语）"
    ),
    "survey.cell_count": (
        "该行有 {cells} 个单元格，而表头有 {expected} 个（是否多了或少了逗号，或引号未闭合？）"
    ),
    "survey.duplicate_institution": "与第 {first} 行是同一机构（名称和国家相同）",
    "survey.invalid": "此值不被接受（{message}）",
    "survey.invalid_item": "第 {item} 项（“{shown}”）不被接受（{message}）",
    "app.name": "tvet-match",
    # navigation and frame
    "nav.skip": "跳到正文",
    "nav.label": "主导航",
    "nav.directory": "机构名录",
    "nav.workshops": "工作坊",
    "nav.my_profile": "我的机构资料",
    "nav.sign_in": "登录",
    "nav.sign_out": "退出登录",
    "nav.language": "语言",
    "nav.signed_in.admin": "已以管理员身份登录",
    "nav.signed_in.organiser": "已以组织方身份登录",
    "nav.signed_in.institution": "已登录（机构 {id}）",
    "footer.about": "为中国和东南亚的职业教育与培训机构推荐合作伙伴。",
    "footer.api": "API 文档",
    "table.id": "编号",
    # kinds of institution
    "kind.college": "职业院校",
    "kind.university": "大学",
    "kind.company": "企业",
    "kind.government": "政府部门",
    "kind.organisation": "组织",
    "kind.other": "其他",
    # profile fields
    "field.name": "名称",
    "field.country": "国家",
    "field.kind": "类型",
    "field.kind.help": "职业学校、职业学院、高职院校和技术学院都属于职业院校。",
    "field.city": "城市",
    "field.fields": "专业领域",
    "field.needs": "我们寻求",
    "field.needs.help": "每行一项：希望从合作伙伴处获得的支持。",
    "field.offers": "我们提供",
    "field.offers.help": "每行一项：能够为合作伙伴提供的资源。",
    "field.programs": "希望开展的合作项目",
    "field.lines.help": "每行一项。",
    "field.languages": "语言",
    "field.languages.help": "ISO 639-1 语言代码，用逗号分隔，例如 zh, en, km。",
    "field.description": "简介",
    "field.website": "网站",
    "field.website.help": "以 http:// 或 https:// 开头的网址。",
    "field.website_private": "网站只向已同意会面的伙伴显示",
    "field.website_private.help": "其他人看到的资料中不含网站；本机构和管理员始终可以看到。",
    "field.contact_email": "联系邮箱",
    "field.contact_email.help": "不公开：只有本机构的密钥和管理员可以看到。",
    "field.existing_partners": "已有合作伙伴",
    "field.existing_partners.help": "已在合作的机构编号，用逗号分隔；系统不会再向您推荐这些机构。",
    # directory
    "directory.title": "寻找合作伙伴",
    "directory.lede": (
        "检索职业院校、企业和政府部门。打开机构页面，可查看为其推荐的合作伙伴及推荐理由。"
    ),
    "directory.search": "检索机构名录",
    "directory.q": "关键词",
    "directory.q.help": "名称、城市、专业领域、需求、可提供资源或简介中的词语。",
    "directory.any_country": "所有国家",
    "directory.any_kind": "所有类型",
    "directory.field": "专业领域",
    "directory.field.help": "无论资料用哪种语言书写，都能找到提及该领域的机构。",
    "directory.any_field": "所有领域",
    "directory.submit": "检索",
    "directory.results": "检索结果",
    "directory.invalid": "无法执行检索：",
    "directory.unknown_field": "请从列表中选择一个领域。",
    "directory.count": "第 {first}–{last} 条，共 {total} 条",
    "directory.none": "没有符合这些条件的机构。",
    "directory.pages": "分页",
    "directory.previous": "上一页",
    "directory.next": "下一页",
    "directory.page": "第 {number} 页，共 {pages} 页",
    # institution page and suggestions
    "profile.edit": "编辑此资料",
    "profile.saved": "机构资料已保存。",
    "suggest.title": "推荐的合作伙伴",
    "suggest.lede": (
        "按匹配程度排序。好的合作伙伴能提供您所寻求的，也需要您所提供的；推荐理由引自双方资料。"
    ),
    "suggest.partners_from": "合作伙伴来自",
    "suggest.abroad": "仅限其他国家",
    "suggest.anywhere": "所有国家",
    "suggest.update": "更新",
    "suggest.score": "匹配分",
    "suggest.score_of": "{name} 的匹配分",
    "suggest.they_meet_my_needs": "对方满足您的需求",
    "suggest.i_meet_their_needs": "您满足对方的需求",
    "suggest.why": "推荐理由",
    "suggest.none": "暂无推荐：请在资料中填写您寻求的和您能提供的。",
    # signing in
    "sign_in.title": "登录",
    "sign_in.lede": "请粘贴贵机构注册时获得的密钥，或工作坊组织方的密钥。",
    "sign_in.key": "密钥",
    "sign_in.key.help": "以 tvm_ 开头。",
    "sign_in.submit": "登录",
    "sign_in.bad_key": "此密钥无效或已被撤销。",
    "sign_in.privacy": (
        "密钥只保存在本浏览器中（网页脚本无法读取的 Cookie），退出登录或八小时后即失效。"
    ),
    # editing a profile
    "edit.title": "编辑 {name}",
    "edit.lede": "除联系邮箱外，其他机构可以看到此处的全部内容。",
    "edit.invalid": "未保存任何内容。请更正下方标出的字段。",
    "edit.about": "基本信息",
    "edit.matching": "用于匹配的内容",
    "edit.private": "不公开",
    "edit.save": "保存资料",
    "edit.cancel": "取消",
    # errors
    "error.title": "无法完成",
    "error.back": "返回机构名录",
    "error.sign_in_needed": "请使用您的密钥登录后查看此页面。",
    "error.not_your_profile": "此密钥只能修改本机构的资料。未做任何修改。",
    "error.not_your_workshop": "此密钥无权管理这个工作坊。请向管理员索取该工作坊的组织方密钥。",
    "error.forbidden": "此密钥无权执行此操作。未做任何修改。",
    "error.csrf": "此表单已过期或并非来自本网站，因此未执行任何操作。请返回，刷新页面后重试。",
    "error.unknown_institution": "不存在此编号的机构。",
    "error.unknown_workshop": "不存在此编号的工作坊。",
    "error.unknown_run": "此工作坊没有这个编号的配对方案。",
    "error.not_found": "此地址没有内容。",
    # form messages
    "form.at_item": "第 {n} 项：{message}",
    "form.at_key": "{key}：{message}",
    "form.not_an_id": "“{text}”不是机构编号。",
    "form.pair.choose": "请选择一组配对。",
    "form.country_groups.help": "每行一个国家及其所属分组，例如 KH ASEAN。",
    "form.allowed_group_pairs.help": "每行一对分组，例如 CN ASEAN；只写一个分组表示组内互配。",
    "form.forbidden.help": "每行两个机构编号，例如 12 17：这两家永不配对。",
    "form.locked.help": "每行两个机构编号，例如 5 12：这两家一定配对。",
    "form.max_partners_by_id.help": "每行一个机构编号及其合作伙伴数量，例如 12 0 表示不为其配对。",
    "form.unavailable.help": "每行一个机构编号及其无法参加的时段（第一个时段为 0），例如 17 0 1。",
    # workshops
    "workshops.title": "工作坊",
    "workshops.lede": "组织方在此为工作坊参会机构进行预配对。",
    "workshops.sign_in": "组织方：请使用工作坊密钥登录。",
    "workshops.participants": "{count} 家参会机构",
    "workshops.open": "打开管理台",
    "workshops.none": "暂无工作坊。",
    # console
    "error.admins_only": "只有管理员密钥可以执行此操作。",
    "console.saved.details": "研讨会信息已保存。",
    "console.saved.added": "已添加参会机构。",
    "console.saved.removed": "已移除参会机构（其资料仍保留在名录中）。",
    "workshop_new.title": "新建研讨会",
    "workshop_new.lede": "创建研讨会后，请将下一页显示的密钥交给组织者。",
    "workshop_new.create": "创建研讨会",
    "workshop.name": "名称",
    "workshop.starts_on": "开始日期",
    "workshop.ends_on": "结束日期",
    "workshop.venue": "地点",
    "workshop.time_zone": "时区",
    "workshop.time_zone.help": "会场所在时区，例如 Asia/Phnom_Penh 或 Asia/Shanghai。",
    "workshop.details": "基本信息",
    "workshop.edit_details": "修改名称、日期、地点或时区",
    "workshop.save": "保存信息",
    "workshop_created.title": "研讨会已创建",
    "workshop_created.done": "“{name}”已创建。",
    "workshop_created.key_title": "组织者密钥",
    "workshop_created.key_once": (
        "请立即复制此密钥并交给组织者：它只显示一次，且只能用于管理本研讨会。"
    ),
    "workshop_created.key": "组织者密钥",
    "participants.find": "查找要添加的机构",
    "participants.find.help": (
        "输入名称的一部分，任何文字均可（高棉文、泰文、中文……）；输入时即显示匹配结果。"
    ),
    "participants.search": "搜索",
    "participants.add": "添加",
    "participants.remove": "移除",
    "participants.none_found": "研讨会以外没有与“{q}”匹配的机构。",
    "participants.choose": "请从列表中选择一个机构。",
    "participants.unknown": "没有此编号的机构。",
    "participants.invite_no_mail": (
        "无法通过电子邮件邀请：本服务器未配置邮件。尚未收录在名录中的机构可通过问卷导入添加。"
    ),
    "picker.none": "（请选择）",
    "picker.pair.first": "添加配对：第一家机构",
    "picker.pair.second": "第二家机构",
    "picker.number.first": "添加例外：机构",
    "picker.number.second": "其合作伙伴数",
    "picker.slots.first": "添加：机构",
    "picker.slots.second": "无法参加的时段",
    "picker.number_entry": "{name}：{number} 个合作伙伴",
    "picker.slots_entry": "{name}：时段 {slots}",
    "picker.locked.help": "这些配对一定会生成。取消勾选即可删除；选择两家参会机构即可添加。",
    "picker.forbidden.help": "这些配对一定不会生成。取消勾选即可删除；选择两家参会机构即可添加。",
    "picker.max_partners_by_id.help": (
        "为某家参会机构单独设定合作伙伴数（0 表示不参与配对）。取消勾选即可删除。"
    ),
    "picker.unavailable.help": (
        "某家参会机构无法参加的时段，从 0（第一个时段）开始编号，例如 0 1。取消勾选即可删除。"
    ),
    "picker.partners.help": (
        "已有合作关系的机构：不会再推荐给您。取消勾选即可删除；按名称查找其他机构并勾选，然后保存。"
    ),
    "picker.partners.find": "按名称查找合作伙伴",
    "picker.partners.none": "没有与“{q}”匹配的机构。",
    "refusal.int_parsing": "请输入整数。",
    "refusal.int_from_float": "请输入整数。",
    "refusal.float_parsing": "请输入数字。",
    "refusal.bool_parsing": "请选择是或否。",
    "refusal.date_parsing": "请输入日期，例如 2026-05-12。",
    "refusal.date_from_datetime_parsing": "请输入日期，例如 2026-05-12。",
    "refusal.datetime_parsing": "请输入日期和时间，例如 2026-05-13T09:00。",
    "refusal.datetime_from_date_parsing": "请输入日期和时间，例如 2026-05-13T09:00。",
    "refusal.less_than_equal": "不能大于 {limit}。",
    "refusal.less_than": "必须小于 {limit}。",
    "refusal.greater_than_equal": "不能小于 {limit}。",
    "refusal.greater_than": "必须大于 {limit}。",
    "refusal.string_too_long": "最多 {limit} 个字符。",
    "refusal.string_too_short": "至少 {limit} 个字符。",
    "refusal.too_long": "最多 {limit} 项。",
    "refusal.too_short": "至少 {limit} 项。",
    "refusal.literal_error": "请从选项中选择一项。",
    "refusal.enum": "请从选项中选择一项。",
    "refusal.missing": "必须填写。",
    "refusal.blank": "不能为空。",
    "refusal.website": "请输入以 http:// 或 https:// 开头的网址。",
    "refusal.time_zone": "请输入时区名称，例如 Asia/Phnom_Penh。",
    # 研讨会规则的拒绝说明（service.workshops 与 matching.pairing 的类型代码）
    "refusal.too_few": "配对至少需要 2 个参会机构。",
    "refusal.not_participant": "{participant} 不是本次研讨会的参会机构。",
    "refusal.capacity_unknown_participant": "{participant} 不是参会机构。",
    "refusal.locked_unknown_participant": "锁定的配对（{a}, {b}）：{participant} 不是参会机构。",
    "refusal.locked_same_country": (
        "锁定的配对（{a}, {b}）违反规则：双方都来自{country}，而只允许跨国配对。"
    ),
    "refusal.locked_forbidden": "锁定的配对（{a}, {b}）违反规则：该配对已被禁止。",
    "refusal.locked_groups": "锁定的配对（{a}, {b}）违反规则：国家分组 {groups} 不是允许的配对。",
    "refusal.locked_low_score": (
        "锁定的配对（{a}, {b}）违反规则：其得分 {score} 为零或低于阈值 {min_score}。"
    ),
    "refusal.locked_over_capacity": (
        "锁定的配对（{a}, {b}）超出容量：{participant} 将有 {load} 个锁定伙伴，"
        "但最多只能有 {cap} 个。"
    ),
    "refusal.not_run_pair": "这不是本次配对结果中的配对。",
    "refusal.not_swap_pair": "请选择本次结果中另一个与第一个配对没有共同机构的配对。",
    "refusal.unknown_institution": "没有编号为 {id} 的机构。",
    "refusal.not_clearable": "此项可以修改，但不能清空。",
    "refusal.ends_before_start": "结束日期不能早于开始日期。",
    "console.title": "管理台",
    "console.sections": "工作坊栏目",
    "console.invalid": "未执行任何操作。请更正下方标出的字段。",
    "console.participants": "参会机构（{count}）",
    "console.show_participants": "显示参会机构",
    "console.no_participants": "暂无参会机构：请先导入调查表。",
    # survey import
    "import.title": "导入调查表",
    "import.lede": (
        "上传对接调查 CSV 文件。在写入任何内容之前，您会先看到将新建、更新或拒绝的内容。"
    ),
    "import.file": "调查表文件（CSV 或 Excel .xlsx）",
    "import.encoding": "文件编码",
    "import.encoding.help": "默认为 UTF-8；如文件以其他编码保存，请选择相应编码。",
    "import.dry_run": "检查文件",
    "import.choose_file": "请选择要上传的 CSV 或 .xlsx 文件。",
    "import.preview_title": "调查表检查",
    "import.preview_lede": "导入“{file}”将执行以下操作。目前尚未写入任何内容。",
    "import.summary": "概要",
    "import.to_create": "家新机构",
    "import.to_update": "家待更新",
    "import.unchanged": "家无变化",
    "import.rejected": "行被拒绝",
    "import.fix_first": (
        "部分行被拒绝：请在文件中更正后重新上传。导入要么全部完成，要么完全不执行。"
    ),
    "import.rejected_title": "被拒绝的行",
    "import.row": "行",
    "import.column": "列",
    "import.reason": "原因",
    "import.whole_file": "整个文件",
    "import.warnings": "提示",
    "import.to_create_title": "新机构",
    "import.to_update_title": "待更新的机构",
    "import.unchanged_title": "已是最新",
    "import.changed": "将变更的字段",
    "import.apply": "立即导入",
    "import.cancel": "取消",
    "import.back": "返回管理台",
    "import.columns_title": "匹配列",
    "import.columns_lede": (
        "以下表头不是调查表的列。请指明每一列的含义：本工作坊会记住，之后在此处或通过 API "
        "导入时都会使用。"
    ),
    "import.columns_ignore": "— 忽略此列 —",
    "import.columns_save": "记住并重新检查",
    "import.applied": "调查表已导入。该工作坊现有 {participants} 家参会机构。",
    "import.proposal": "项修改建议（他人资料）",
    "import.participant": "家仅加入参会",
    "import.proposal_title": "发给机构的修改建议",
    "import.proposal_lede": (
        "这些机构的资料由其自行维护。它们将成为参会机构，调查表中不同的回答将作为修改建议发送给"
        "对方，由对方决定接受或忽略。"
    ),
    "import.participant_title": "仅加入参会",
    "import.proposed": "建议修改的字段",
    "import.answers_moved": "调查回答将从机构简介中移出",
    "answers.title": "调查回答（第 2–4 题）",
    "answers.lede": "这些回答供组织方参考，不属于任何机构资料，也不参与匹配。",
    "answers.show": "显示调查回答",
    "answers.none": "尚无调查回答。",
    "answers.download": "下载调查回答（CSV）",
    "answers.challenges": "面临的挑战",
    "answers.strategies": "有效的策略",
    "answers.wishes": "对组织方的期望",
    "proposals.title": "工作坊组织方提出的修改建议",
    "proposals.lede": (
        "某工作坊的调查表提到了贵机构，其中的回答与您的资料不同。除非您接受，资料不会改变。"
    ),
    "proposals.from": "来自“{workshop}”",
    "proposals.field": "字段",
    "proposals.current": "当前",
    "proposals.proposed": "建议",
    "proposals.accept": "接受这些修改",
    "proposals.dismiss": "忽略",
    "proposals.accepted": "建议的修改已保存到您的资料中。",
    "proposals.dismissed": "已忽略该建议，您的资料未作改动。",
    # pairing rules
    "rules.title": "配对规则",
    "rules.lede": "系统在这些规则下寻找总分最高的配对方案。已声明的合作伙伴不会被配对。",
    "rules.capacity": "合作伙伴数量",
    "rules.max_partners": "每家机构的合作伙伴数",
    "rules.min_partners": "至少（尽可能满足）",
    "rules.max_partners_by_id": "例外",
    "rules.countries": "国家",
    "rules.cross_border_only": "不配对同一国家的两家机构",
    "rules.china_with_asean_only": "只在中国与东盟国家之间配对",
    "rules.country_groups": "国家分组",
    "rules.named_group": "添加一个已命名的国家分组",
    "rules.named_group.help": (
        "把该分组的每个成员国放入此分组（上面已列出的国家保留其分组）；"
        "然后在允许的分组配对中写出分组名称，例如 CN, ASEAN。"
    ),
    "rules.named_group.none": "不添加",
    "rules.named_group.option": "{name}：{label}（{count} 个国家）",
    "rules.named_group.members": "各分组的成员",
    "rules.named_group.source": "来源",
    "form.named_group.unknown": "请选择列出的国家分组之一。",
    "rules.allowed_group_pairs": "允许配对的分组",
    "rules.pairs": "指定配对",
    "rules.locked": "一定配对",
    "rules.forbidden": "永不配对",
    "rules.quality": "质量",
    "rules.min_score": "最低匹配分",
    "rules.min_score.help": "0 到 1 之间；低于此分数的配对不会生成。",
    "rules.fairness": "公平性",
    "rules.fairness.none": "总分最高",
    "rules.fairness.maximin": "优先照顾匹配最差的机构",
    "rules.run": "运行配对",
    # runs
    "runs.title": "配对方案",
    "runs.number": "方案",
    "runs.run": "第 {number} 次配对",
    "runs.created": "生成时间",
    "runs.pairs": "配对数",
    "runs.total": "总分",
    "runs.gap": "达到最优的比例",
    "runs.none": "尚未运行配对。",
    "run.bound": "理论最高分",
    "run.participants": "参会机构",
    "run.pairs_title": "配对",
    "run.pairs_help": "按分数从高到低排列。展开配对下的“理由”可查看推荐理由。",
    "run.rank": "序号",
    "run.pair": "配对",
    "run.score": "分数",
    "run.actions": "操作",
    "run.why_pair": "理由",
    "run.optimal": "在这些规则下，没有任何配对方案的总分能高于本方案（{total}）：已证明为最优。",
    "run.near_optimal": (
        "在这些规则下，任何配对方案的总分都不会超过 {bound}。"
        "本方案总分 {total}，至少达到最优方案的 {share}%。"
    ),
    "run.with": "与",
    "run.locked": "已锁定",
    "run.request_accepted": "双方同意会面",
    "run.request_pending": "已申请会面",
    "run.not_kept_title": "未能保留的已接受会面申请",
    "run.not_kept_help": (
        "这些参与方已同意会面，但本次配对的规则和名额优先；它们只得到加分，没有被锁定。"
    ),
    "run.lock": "锁定并重新配对",
    "run.forbid": "禁止并重新配对",
    "run.swap_title": "交换合作伙伴",
    "run.swap_help": "A × B 与 C × D 变为 A × D 与 C × B（锁定），然后重新配对。",
    "run.swap_first": "第一组配对",
    "run.swap_second": "第二组配对",
    "run.swap": "交换并重新配对",
    "run.adjust_refused": "做出此修改后无法配对：",
    "run.bad_adjustment": "请选择本方案中的配对。",
    "run.swap_needs_two_pairs": "请选择两组不同的配对进行交换。",
    "run.no_pairs": "在这些规则下无法生成任何配对。",
    "run.unpaired_title": "未配对的机构",
    "run.why": "原因",
    "run.alternates_title": "备选伙伴",
    "run.alternates_help": "次优的合作伙伴，供会谈取消时使用。",
    "run.participant": "参会机构",
    "run.alternates": "备选伙伴（按匹配程度排序）",
    "unpaired.no_eligible_partner": "在规则范围内没有符合条件的合作伙伴",
    "unpaired.below_threshold": "所有可能的合作伙伴都低于最低匹配分",
    "unpaired.capacity": "可能的合作伙伴已被配满",
    # downloads
    "download.pairs": "下载配对表（CSV）",
    "download.alternates": "下载备选伙伴（CSV）",
    "download.schedule": "下载日程表（CSV）",
    "download.ics": "下载日历文件（.ics）",
    "download.html": "下载可打印的日程表",
    # schedule
    "schedule.title": "日程表",
    "schedule.title_run": "第 {number} 次配对的日程表",
    "schedule.view": "查看日程表",
    "schedule.lede": "时间为工作坊所在时区（{zone}）。任何机构都不会同时安排两场会谈。",
    "schedule.invalid": "无法生成日程表：",
    "schedule.starts_at": "第一场会谈开始时间",
    "schedule.slot_minutes": "每场会谈分钟数",
    "schedule.break_minutes": "会谈间隔分钟数",
    "schedule.tables": "洽谈桌数",
    "schedule.with_alternates": "会见的备选伙伴数",
    "schedule.with_alternates.help": "为每家机构另外安排这么多场与备选伙伴的会谈（0–3）。",
    "schedule.unavailable": "无法参加的时段",
    "schedule.make": "生成日程表",
    "schedule.none": "此方案尚无日程表：请在方案页面生成。",
    "schedule.summary": (
        "{meetings} 场会谈，共 {slots} 个时段，每场 {minutes} 分钟，时间为 {zone}。"
    ),
    "schedule.lower_bound": "任何日程表都至少需要 {bound} 个时段。",
    "schedule.unplaced": "{count} 场会谈未能排入：请增加洽谈桌或时段。",
    "schedule.back": "返回配对方案",
    "schedule.scroll_cue": "共 {tables} 张洽谈桌并排显示：请左右滚动查看全部，时间列保持可见。",
    "schedule.caption": "按时间（{zone}）和洽谈桌排列的会谈",
    "schedule.time": "时间",
    "schedule.table": "{number} 号桌",
    "schedule.alternate": "备选",
    "schedule.free": "空闲",
    # outcomes
    "outcomes.title": "会谈结果",
    "outcomes.pair": "配对",
    "outcomes.status": "结果",
    "outcomes.happened_on": "日期",
    "outcomes.note": "备注",
    "outcomes.record": "记录",
    "outcomes.recorded": "结果已记录。",
    "outcomes.invalid": "结果未记录：",
    "outcomes.none": "尚未记录任何结果。",
    "outcome.met": "已会谈",
    "outcome.mou_signed": "已签署合作备忘录",
    "outcome.declined": "已谢绝",
    # report
    "report.title": "报告",
    "report.compared_with": "与第 {number} 次配对比较。",
    "report.no_run": "尚未运行配对。",
    "report.results_caption": "推荐、会谈和签约的配对",
    "report.suggested": "推荐的配对",
    "report.met": "已会谈的配对",
    "report.signed": "签署的合作备忘录",
    "report.declined": "已谢绝",
    "report.countries_caption": "各国参会机构（共 {count} 家）",
    "report.share": "已签署的合作备忘录中，有 {share} 来自本方案推荐的配对。",
    "report.never_suggested": "未获推荐合作伙伴的机构（{count}）",
    # network
    "network.title": "关系网络",
    "network.lede": "按国家着色的参会机构，以及第 {number} 次配对的配对关系。",
    "network.no_run": "按国家着色的参会机构。运行配对后可看到配对关系。",
    "network.graph_label": "关系网络图：{nodes} 家参会机构，{edges} 组配对",
    "network.focus": "突出显示一家机构",
    "network.everyone": "全部",
    "network.legend": "国家",
    "network.edge.suggested": "方案推荐",
    "network.edge.met": "已会谈",
    "network.edge.signed": "已签署合作备忘录",
    "network.filter_help": "取消勾选某个国家即可隐藏其参会机构。",
    "network.pairs_legend": "配对",
    "network.as_table": "以表格显示相同的配对",
    # meeting requests and my partners
    "nav.my_partners": "我的合作伙伴",
    "meet.request": "申请会面",
    "meet.title": "向{name}申请会面",
    "meet.lede": (
        "请简要说明您希望会面的原因。对方可看到您的公开资料；对方接受后，双方才能看到彼此"
        "的联系邮箱。"
    ),
    "meet.message": "留言",
    "meet.message.help": "不超过2000字，例如您希望讨论的内容。",
    "meet.proposed_date": "建议日期（可选）",
    "meet.proposed_date.help": "会面的日期，例如研讨会期间的某一天。",
    "meet.send": "发送申请",
    "meet.not_sent": "申请未发送：",
    "meet.already_open": "贵机构与对方之间已有一个未处理的会面申请：请先答复或撤回。",
    "meet.cap_reached": "贵机构今天已发送{n}个会面申请，已达每日上限。请明天（UTC午夜之后）再试。",
    "meet.institutions_only": "会面申请由机构发送和答复：请使用贵机构的密钥登录。",
    "meet.not_yourself": "机构不能向自己申请会面。",
    "meet.not_yours_to_answer": "只有被邀请的机构可以接受或拒绝此申请。未做任何更改。",
    "meet.already_answered": "此申请已被接受、拒绝或撤回。未做任何更改。",
    "meet.accept": "接受",
    "meet.decline": "拒绝",
    "meet.reason": "原因（可选）",
    "meet.withdraw": "撤回",
    "meet.on_date": "建议日期：{date}",
    "meet.reason_given": "给出的原因：{reason}",
    "meet.status.requested": "等待答复",
    "meet.status.accepted": "已接受",
    "meet.status.declined": "已拒绝",
    "meet.status.withdrawn": "已撤回",
    "me.title": "我的合作伙伴",
    "me.lede": "{name}的会面申请：收到的、发出的，以及同意会面的合作伙伴及其联系方式。",
    "me.partners": "已同意会面",
    "me.no_partners": "暂无已接受的会面。申请被接受后，联系邮箱将显示在这里。",
    "me.no_contact": "未提供联系邮箱",
    "me.received": "收到的申请",
    "me.none_received": "暂未收到申请。",
    "me.sent": "发出的申请",
    "me.none_sent": "暂未发出申请：请向下方推荐的合作伙伴申请会面。",
    "me.flash.sent": "您的会面申请已发送。",
    "me.flash.accept": "您已接受申请：双方的联系邮箱现已显示。",
    "me.flash.decline": "您已拒绝该申请。",
    "me.flash.withdraw": "申请已撤回。",
    # 机会
    "nav.opportunities": "合作机会",
    "me.browse_opportunities": "浏览全部开放的机会",
    "opp.title": "合作机会",
    "opp.lede": (
        "各机构发布的提供与征集：实习、奖学金、共享实训室、征集培训师等。打开一项即可表达意向。"
    ),
    "opp.search": "检索合作机会",
    "opp.q": "检索",
    "opp.q.help": "标题或正文中的词。",
    "opp.direction": "提供或征集",
    "opp.direction.help": "“提供”给出正文所述内容；“征集”寻求该内容。",
    "opp.direction.offer": "提供",
    "opp.direction.call": "征集",
    "opp.any_direction": "提供与征集",
    "opp.type": "项目类型",
    "opp.any_type": "任意项目类型",
    "opp.open_to_country": "面向以下国家的机构",
    "opp.field.help": "其技术领域中的文字，例如 welding。",
    "opp.results": "找到的机会",
    "opp.count": "共 {total} 项开放的机会",
    "opp.none": "没有符合这些条件的开放机会。",
    "opp.deadline_on": "截止 {date}",
    "opp.status.open": "开放",
    "opp.status.closed": "已关闭",
    "opp.open_to": "面向",
    "opp.anyone": "所有机构",
    "opp.capacity": "名额",
    "opp.capacity.help": "名额有限时填写人数。",
    "opp.deadline": "截止日期",
    "opp.deadline.help": "在全球各地该日结束前开放；留空：关闭前一直开放。",
    "opp.language": "正文语言",
    "opp.publish": "发布合作机会",
    "opp.publish.lede": "为本机构发布一项提供或征集。符合条件的机构会在这里和推荐中看到它。",
    "opp.publish.submit": "发布",
    "opp.not_published": "未能发布：",
    "opp.field.title": "标题",
    "opp.field.text": "正文",
    "opp.field.text.help": "内容、对象、时间；每句话单独匹配。",
    "opp.eligible_countries": "面向这些国家",
    "opp.eligible_kinds": "面向这些机构类型",
    "opp.eligible.help": "不选表示面向所有；按住 Ctrl（Mac 上为 ⌘）可多选。",
    "opp.interested_title": "有意向的机构（{n}）",
    "opp.no_interest": "尚无机构表达意向。",
    "opp.close": "关闭此机会",
    "opp.your_interest": "您的意向",
    "opp.interest_not_sent": "未能记录您的意向：",
    "opp.interest_forbidden": (
        "贵机构不符合此机会的国家或类型要求，或这是您自己发布的机会。未做任何更改。"
    ),
    "opp.sign_in_to_express": "登录后表达意向",
    "opp.back": "返回合作机会",
    "opp.unknown": "没有此编号的合作机会。",
    "opp.not_yours": "只有发布此机会的机构可以关闭它。未做任何更改。",
    "opp.institutions_only": "在这些页面上只有机构的密钥可以发布合作机会。",
    "opp.flash.published": "合作机会已发布。",
    "opp.flash.closed": "合作机会已关闭；仍可查看，标为已关闭。",
    "opp.flash.interest": "您的意向已发送给发布方。",
    "opp.flash.withdrawn": "您的意向已撤回。",
    # email sign-in, and a new key shown once
    "sign_in.email.title": "没有密钥？通过电子邮件登录",
    "sign_in.email.lede": (
        "请输入贵机构的联系邮箱：我们将发送一个15分钟内可用一次的登录链接。如果您遗失"
        "了密钥，它也会为您生成一个新密钥。"
    ),
    "sign_in.email": "联系邮箱",
    "sign_in.email.submit": "给我发送登录链接",
    "sign_in.email_unavailable": (
        "此服务器不提供电子邮件登录：请使用密钥登录，或请管理员为您生成新密钥。"
    ),
    "sign_in.email_invalid": "请输入电子邮件地址，例如 international@college.example.org。",
    "sign_in.email_sent": (
        "如果有机构使用此地址，登录链接已在发送途中。链接可使用一次，有效期{minutes}分钟。"
    ),
    "sign_in.email_failed": "邮件暂时无法发送。未做任何更改；请稍后再试。",
    "sign_in.link.title": "使用邮件链接登录",
    "sign_in.link.lede": "请点击按钮在此浏览器上登录。之后该链接将失效。",
    "sign_in.link.submit": "登录",
    "sign_in.link.failed": "此链接已被使用或已过期。",
    "sign_in.link.again": "申请新的链接",
    "mail.sign_in.subject": "登录tvet-match（{name}）",
    "mail.sign_in.body": (
        "您好：\n\n请打开以下链接，以{name}的身份登录tvet-match：\n\n{link}\n\n该链接可使用"
        "一次，有效期{minutes}分钟。如果您没有申请，请忽略此邮件。\n"
    ),
    "key.title": "您的密钥：请妥善保管",
    "key.registered": "贵机构已注册，您已登录。",
    "key.lede": "此浏览器已使用下方密钥登录。程序可使用它调用API（Authorization: Bearer <密钥>）。",
    "key.label": "您的密钥",
    "key.keep_it": (
        "请立即将其复制到安全的地方：它只显示这一次，我们无法再次显示。如果遗失，请通"
        "过电子邮件登录以获取新密钥。"
    ),
    "key.continue": "我已保存：前往我的合作伙伴",
    "key.profile": "查看我的公开资料",
    # registration
    "nav.register": "注册",
    "register.title": "注册贵机构",
    "register.lede": "三个简短步骤：机构简介、工作领域、寻求与提供。合作伙伴推荐依据最后一步生成。",
    "register.invalid": "资料未保存；请查看下方标出的字段。",
    "register.closed": "此服务器已关闭注册：请联系组织者或管理员为贵机构注册。",
    "register.duplicate": "该国家已有同名机构注册。",
    "register.existing": "该机构已注册：",
    "register.existing_link": "查看其资料",
    "register.existing_yours": (
        "如果这是贵机构，请使用其密钥登录，或通过发送到其联系邮箱的链接登录。"
    ),
    "register.step.about": "1. 机构简介",
    "register.step.work": "2. 工作领域",
    "register.step.match": "3. 寻求与提供",
    "register.pick.help": "可选择一项或多项（按住 Ctrl 键，Mac 上按住 ⌘ 键可多选）。",
    "register.needs.help": "每行一项，例如“新能源汽车维修师资培训”或“中国的实习接收单位”。",
    "register.offers.help": "每行一项，例如“高棉语课程”或“交换学生团组”。",
    "register.contact.help": "私密：仅在双方同意会面后向合作伙伴显示。登录链接将发送至此邮箱。",
    "register.submit": "注册并获取密钥",
    # claiming a profile
    "claim.unclaimed": "此资料尚未被认领：它根据公开信息创建，目前还没有该机构的人员管理。",
    "claim.link": "这是贵机构吗？认领它",
    "claim.title": "认领{name}",
    "claim.lede": (
        "请告诉我们您是谁，并提供您在该机构的电子邮件地址。我们会发送链接验证该地址；"
        "然后由管理员（或该机构参加的研讨会的组织者）批准认领，并向该地址发送附有密钥"
        "的登录链接。"
    ),
    "claim.claimant": "您的姓名和职务",
    "claim.email": "您在该机构的电子邮件",
    "claim.email.help": "认领获批后，它将成为该资料的私密联系邮箱。",
    "claim.note": "有助于我们核实的信息（可选）",
    "claim.submit": "提交认领",
    "claim.invalid": "请填写您的姓名和电子邮件地址。",
    "claim.sent": "我们已向{email}发送链接：请打开它以确认地址。之后认领将等待管理员处理。",
    "claim.already_claimed": "此资料已被认领。如果这是贵机构，请使用其密钥或电子邮件链接登录。",
    "claim.verify.title": "确认您的认领",
    "claim.verify.submit": "确认我的电子邮件地址",
    "claim.verify.failed": "此链接已被使用或已过期。",
    "claim.verify.pending": (
        "谢谢：您的地址已确认。管理员将审核此认领；获批后，登录链接将发送到该地址。"
    ),
    "claim.deciders_only": "认领由管理员和研讨会组织者审核。",
    "claim.not_yours_to_decide": "此密钥无权审核此认领。未做任何更改。",
    "claim.already_decided": "此认领已审核。未做任何更改。",
    "claims.title": "待审核的认领",
    "claims.lede": "已确认电子邮件地址、申请管理尚无人管理的资料的人员。",
    "claims.by": "认领人：{claimant}，{email}",
    "claims.approve": "批准",
    "claims.reject": "拒绝",
    "claims.none": "没有等待您审核的认领。",
    "claims.done.approve": "已批准：附有密钥的登录链接已发送给认领人。",
    "claims.done.reject": "已拒绝。",
    "mail.claim.subject": "确认您在tvet-match上对{name}的认领",
    "mail.claim.body": (
        "您好：\n\n有人（希望是您）申请在tvet-match上管理{name}的资料。请打开以下链接确"
        "认此地址：\n\n{link}\n\n如果不是您申请的，请忽略此邮件。\n"
    ),
    "mail.claim.approved": (
        "您好：\n\n您在tvet-match上对{name}的认领已获批准。请打开以下链接登录并获取该机"
        "构的密钥：\n\n{link}\n\n该链接可使用一次，有效期{minutes}分钟；之后可在登录页面"
        "申请新的链接。\n"
    ),
    # my partners: opportunities and saved searches
    "me.opportunities": "适合的开放机会",
    "me.none_opportunities": "目前没有适合贵机构资料的开放机会。",
    "me.express_interest": "表达兴趣",
    "me.withdraw_interest": "撤回我的兴趣",
    "me.interested": "您已表达兴趣。",
    "me.note": "给发布方的留言（可选）",
    "me.interest_refused": "无法表达兴趣：该机会已关闭，或您表达兴趣的数量已达上限。未做任何更改。",
    "me.saved_searches": "已保存的搜索",
    "me.none_saved": "暂无已保存的搜索（可通过API创建：POST /api/v1/saved-searches）。",
    "me.upcoming": "即将进行的会面",
    "me.none_upcoming": (
        "暂无即将进行的会面：组织方排好日程后会显示工作坊会面，已接受且写明日期的申请也会显示。"
    ),
    "me.agreed_date": "已接受的会面申请",
    "me.calendar": "日历订阅",
    "me.calendar_help": (
        "一个私密地址，可在日历应用（Outlook、Google 日历、Apple 日历）中订阅：包括您的工作坊会面和"
        "已接受申请的日期。任何拥有此地址的人都能读取，如不慎泄露请更换。"
    ),
    "me.calendar_active": "您的日历订阅自 {date} 起有效。地址只在生成时显示一次。",
    "me.calendar_off": "您还没有日历订阅。",
    "me.calendar_new": "您的新日历地址（只显示这一次，请保存）：",
    "me.calendar_make": "生成日历地址",
    "me.calendar_replace": "更换地址（旧地址随即失效）",
    "me.calendar_revoke": "关闭订阅",
    "me.flash.calendar_off": "日历订阅已关闭：其地址不再有效。",
    "me.alerts": "已保存搜索的提醒",
    "me.none_alerts": "暂无提醒：当有机构或机会进入已保存的搜索结果时会显示。",
    "me.alert_entered": "于 {date} 进入“{search}”",
    "me.alert_deleted": "（已删除）",
    "me.unnamed_search": "未命名的搜索",
    "me.flash.interest": "您的兴趣已发送给发布方。",
    "me.flash.withdrawn": "您的兴趣已撤回。",
    # 会后：参会机构报告自己的配对
    "follow_up.title": "会后跟进",
    "follow_up.lede": (
        "在最新一次配对中有配对的每个参会机构都有一个专属链接，用来报告每个配对是否已会面、"
        "已签署合作备忘录或已谢绝。这些报告会成为报告中的结果。"
    ),
    "follow_up.waiting": "{total} 个参会机构中有 {count} 个尚未答复全部配对。",
    "follow_up.send_reminders": "给尚未答复的机构发送提醒邮件",
    "follow_up.mail_unavailable": (
        "本服务器未设置电子邮件，无法发送提醒。请复制下面的链接并自行转交。"
    ),
    "follow_up.mail_failed": "邮件服务器未能接收提醒，请稍后再试。",
    "follow_up.reminded": "已发送提醒：{count} 封。",
    "follow_up.participant": "参会机构",
    "follow_up.answered": "已答复",
    "follow_up.answered_of": "{pairs} 个中的 {answered} 个",
    "follow_up.link": "专属链接",
    "follow_up.link_of": "{name}的专属链接",
    "follow_up.reminded_at": "上次提醒",
    "follow_up.no_email": "无联系邮箱",
    "follow_up.no_run": "尚无配对结果：生成配对后才会出现链接。",
    "follow_up.own_title": "您的会面情况如何？",
    "follow_up.own_lede": (
        "{name}：您在{workshop}的配对。请为每个合作伙伴说明是否已会面、已签署合作备忘录或已谢绝。"
    ),
    "follow_up.pairs_of": "您在{workshop}的配对",
    "follow_up.partner": "合作伙伴",
    "follow_up.you_said": "您的答复",
    "follow_up.they_said": "对方的答复",
    "follow_up.report": "报告",
    "follow_up.reported": "谢谢：您的答复已记录。",
    "follow_up.both_sides": (
        "如果您和合作伙伴的答复不同，以较低的答复为准（已谢绝、已会面、已签署备忘录依次升高）："
        "只有双方都说已签署，备忘录才计入。"
    ),
    "follow_up.no_pairs": "您在本次研讨会最新一次配对中没有配对。",
    "follow_up.unknown_link": "此报告链接无效（或已不属于任何参会机构）。",
    "follow_up.not_your_pair": "该合作伙伴不在您最新一次配对的配对之中。",
    "me.own_pairs": "报告您在研讨会上的配对",
    "me.flash.reported": "谢谢：您的答复已记录。",
    # 邮件邀请
    "invite.title": "邀请",
    "invite.lede": (
        "通过电子邮件邀请机构：邮件中的链接通往一个页面，机构在那里登录（用密钥或邮件登录链接）"
        "或注册，然后加入本次研讨会的参会机构。下面列出已加入的机构。"
    ),
    "invite.email": "电子邮件地址",
    "invite.send": "发送邀请",
    "invite.sent": "邀请已发送。",
    "invite.sent_at": "发送时间",
    "invite.joined": "已加入",
    "invite.joined_as": "已以{name}的身份加入",
    "invite.waiting": "尚未加入",
    "invite.none": "尚未发送邀请。",
    "invite.mail_unavailable": (
        "本服务器未设置电子邮件，无法发送邀请。请在控制台按名称添加参会机构。"
    ),
    "invite.mail_failed": "邮件服务器未能接收邀请，请稍后再试。",
    "invite.unknown": "此邀请链接无效。",
    "invite.used": "此邀请已被另一个机构使用。",
    "invite.institutions_only": "只有机构的密钥才能加入研讨会。",
    "invite.page_title": "{workshop}邀请",
    "invite.join": "加入本次研讨会",
    "invite.you_joined": "贵机构已是本次研讨会的参会机构。",
    "invite.sign_in_first": (
        "请以贵机构的身份登录后加入（用密钥，或发送到联系邮箱的登录链接）。"
        "首次使用？请先注册贵机构，然后再次打开此邀请。"
    ),
    "invite.sign_in": "登录",
    "invite.register": "注册机构",
    # b16: accepted meeting requests a run could not lock, by code (matching.pairing.LockRefusal)
    "run.not_kept.not_participants": "{a} × {b}：两者并非都是参会机构。",
    "run.not_kept.same_country": "{a} × {b}：双方都来自{country}，而本次配对只允许跨国配对。",
    "run.not_kept.forbidden": (
        "{a} × {b}：该配对已被禁止（禁止的配对、已声明的合作伙伴或被拒绝的会面申请）。"
    ),
    "run.not_kept.groups": "{a} × {b}：{groups} 不是允许的国家分组配对。",
    "run.not_kept.low_score": "{a} × {b}：双方匹配得分为零或低于最低分。",
    "run.not_kept.capacity": "{a} × {b}：{participant} 已没有剩余的配对名额。",
    # b16: the named country groups' labels (seed/country_groups.json holds them in English)
    "country_group.ASEAN": "东南亚国家联盟（东盟）",
    "country_group.LMC": "澜沧江-湄公河合作",
    # b16: survey import warnings (survey.<code>, service/workshops/survey/messages.py)
    "survey.no_header": "第 {letter} 列没有表头，其单元格将被忽略",
    "survey.unknown_header": "第 {letter} 列“{header}”不是调查表的列，将被忽略",
    # b16: invitations with a name and a message
    "invite.institution_name": "机构名称（选填，用于称呼）",
    "invite.message": "附言（选填）",
    "invite.invalid": "请输入有效的电子邮件地址；名称最多 200 个字符，附言最多 2000 个字符。",
    # b15: meeting request emails, in the reader's language (service/meetings/notices.py)
    "mail.meeting.requested.subject": "{sender}希望与{receiver}会面",
    "mail.meeting.requested.body": (
        "{sender}希望与{receiver}会面，并留言：\n\n{message}\n\n请在此接受或拒绝：\n{link}\n"
    ),
    "mail.meeting.accepted.subject": "{receiver}已接受您的会面申请",
    "mail.meeting.accepted.body": (
        "{receiver}已接受{sender}的会面申请。双方的联系邮箱现已显示在您的伙伴页面上：\n{link}\n"
    ),
    "mail.meeting.declined.subject": "{receiver}已拒绝您的会面申请",
    "mail.meeting.declined.body": (
        "{receiver}已拒绝{sender}的会面申请。{reason}\n您的伙伴页面：\n{link}\n"
    ),
    "mail.meeting.declined.reason": "\n给出的理由：{reason}\n",
    # b16: the emails organisers send (invitations, reminders)
    "mail.invitation.subject": "邀请：{workshop}",
    "mail.invitation.body": (
        "{greeting}诚邀贵机构参加{workshop}（{dates}{venue}）。\n\n{message}"
        "打开以下链接即可作为参会机构加入：用本机构的密钥或邮件登录链接登录；"
        "如果贵机构尚未注册，请先注册。\n\n"
        "{link}\n"
    ),
    "mail.invitation.greeting": "尊敬的{name}：\n\n",
    "mail.invitation.message": "组织方留言：\n\n{message}\n\n",
    "mail.reminder.subject": "{workshop}：会谈进展如何？",
    "mail.reminder.body": (
        "尊敬的{name}：\n\n"
        "{workshop}已经结束，请告诉我们会谈的结果：对每一个与贵机构配对的伙伴，"
        "说明是否已会面、已签署合作备忘录（MoU）或已谢绝。"
        "贵机构已答复 {pairs} 个配对中的 {answered} 个。\n\n"
        "贵机构的专用链接（无需密钥或密码）：\n{link}\n\n"
        "谢谢！\n"
    ),
}

# Countries of the region in Chinese; the rest show their English names.
COUNTRY_NAMES: dict[str, str] = {
    "CN": "中国",
    "HK": "中国香港",
    "MO": "中国澳门",
    "TW": "中国台湾",
    "KH": "柬埔寨",
    "TH": "泰国",
    "VN": "越南",
    "LA": "老挝",
    "MM": "缅甸",
    "MY": "马来西亚",
    "SG": "新加坡",
    "BN": "文莱",
    "ID": "印度尼西亚",
    "PH": "菲律宾",
    "TL": "东帝汶",
    "JP": "日本",
    "KR": "韩国",
    "IN": "印度",
    "AU": "澳大利亚",
    "NZ": "新西兰",
    "DE": "德国",
    "FR": "法国",
    "GB": "英国",
    "US": "美国",
    "RU": "俄罗斯",
}

# Languages profiles commonly name, in Chinese; the rest show their English names.
LANGUAGE_NAMES: dict[str, str] = {
    "zh": "中文",
    "en": "英语",
    "km": "高棉语",
    "th": "泰语",
    "vi": "越南语",
    "lo": "老挝语",
    "my": "缅甸语",
    "ms": "马来语",
    "id": "印度尼西亚语",
    "tl": "他加禄语",
    "fr": "法语",
    "de": "德语",
    "ja": "日语",
    "ko": "韩语",
    "ru": "俄语",
}
