// Labels of the page in Vietnamese and English. Names of sets, criteria and indicators
// come from the sets themselves (their `name.vi` / `name.en`).

export const LABELS = {
  vi: {
    title: 'Kiểm tra tiêu chí nông thôn mới',
    subtitle: 'Nhập số liệu của một xã: từng tiêu chí đạt, chưa đạt hay chưa xác định, với ngưỡng và khoảng cách, rồi kết luận.',
    lang: 'English',
    setup: 'Thiết lập',
    sets: 'Bộ tiêu chí',
    setFile: 'Tệp bộ tiêu chí (JSON)',
    fromFile: '— từ tệp —',
    overlay: 'Tệp điều chỉnh của tỉnh (JSON, không bắt buộc)',
    clear: 'Bỏ',
    year: 'Năm đánh giá',
    region: 'Vùng',
    group: 'Nhóm xã (2026-2030)',
    statuses: 'Đặc điểm',
    none: '—',
    loading: 'Đang tải…',
    noCatalog: 'Gói này không kèm danh mục: hãy chọn một tệp bộ tiêu chí.',
    criterion: 'Tiêu chí',
    preconditions: 'Điều kiện công nhận',
    indicator: 'Chỉ tiêu',
    value: 'Giá trị',
    yes: 'Có / Đạt',
    no: 'Không',
    thrYes: 'có',
    thrNo: 'không',
    notApplicable: 'Không áp dụng',
    met: 'Đạt',
    not_met: 'Chưa đạt',
    undetermined: 'Chưa xác định',
    not_applicable: 'Không áp dụng',
    margin: 'chênh lệch',
    reason: {
      missing_data: 'chưa có số liệu',
      threshold_unknown: 'ngưỡng chưa rõ trong nguồn',
      threshold_delegated: 'do tỉnh quy định',
      no_threshold_row: 'không có ngưỡng cho vùng và năm này',
      profile_incomplete: 'chưa chọn vùng / nhóm xã',
    },
    confidence: {
      confirmed: '',
      reported: 'theo báo cáo',
      unverified: 'chưa kiểm chứng',
      illustrative: 'minh họa',
    },
    decision: 'Kết luận',
    verdict: {
      recognise: 'Đủ điều kiện công nhận: {tier}',
      maintain: 'Giữ mức {tier}',
      revoke: 'Thu hồi mức {tier}',
      not_yet: 'Chưa đủ điều kiện công nhận: {tier}',
      cannot_decide: 'Chưa thể kết luận',
    },
    totals: '{met}/{criteria} tiêu chí đạt, {not_met} chưa đạt, {undetermined} chưa xác định',
    next: 'Mức {tier}',
    notMetList: 'tiêu chí chưa đạt',
    undeterminedList: 'tiêu chí chưa xác định',
    missingList: 'thiếu số liệu',
    unknownList: 'ngưỡng chưa rõ',
    withheld: 'Chưa kết luận khi còn {n} giá trị không hợp lệ: sửa hoặc xóa chúng.',
    unused: 'Giá trị không bộ tiêu chí nào dùng',
    lacks: 'Hồ sơ thiếu',
    internal: 'Lỗi nội bộ: đã khởi động lại bộ tính toán.',
    badYear: 'Năm phải là số nguyên, ví dụ 2024.',
    caution: 'Ngưỡng ghi “minh họa” hoặc “chưa kiểm chứng” không phải là quy định pháp luật.',
    tierWord: 'Mức',
  },
  en: {
    title: 'New Rural Development criteria check',
    subtitle: 'Type one commune\u2019s figures: each criterion met, not met or undetermined, with its threshold and margin, then the decision.',
    lang: 'Tiếng Việt',
    setup: 'Setup',
    sets: 'Criteria sets',
    setFile: 'Criteria set file (JSON)',
    fromFile: '— from a file —',
    overlay: 'Provincial overlay file (JSON, optional)',
    clear: 'Clear',
    year: 'Reporting year',
    region: 'Region',
    group: 'Commune group (2026-2030)',
    statuses: 'Statuses',
    none: '—',
    loading: 'Loading…',
    noCatalog: 'This package has no catalog: pick a criteria set file.',
    criterion: 'Criterion',
    preconditions: 'Recognition preconditions',
    indicator: 'Indicator',
    value: 'Value',
    yes: 'Yes / met',
    no: 'No',
    thrYes: 'yes',
    thrNo: 'no',
    notApplicable: 'Not applicable',
    met: 'Met',
    not_met: 'Not met',
    undetermined: 'Undetermined',
    not_applicable: 'Not applicable',
    margin: 'margin',
    reason: {
      missing_data: 'no value yet',
      threshold_unknown: 'threshold unknown in the sources',
      threshold_delegated: 'set by the province',
      no_threshold_row: 'no threshold for this region and year',
      profile_incomplete: 'pick the region / commune group',
    },
    confidence: {
      confirmed: '',
      reported: 'reported',
      unverified: 'unverified',
      illustrative: 'illustrative',
    },
    decision: 'Decision',
    verdict: {
      recognise: 'Can be recognised: {tier}',
      maintain: 'Keeps {tier}',
      revoke: 'Revoke {tier}',
      not_yet: 'Not yet {tier}',
      cannot_decide: 'Cannot decide yet',
    },
    totals: '{met}/{criteria} criteria met, {not_met} not met, {undetermined} undetermined',
    next: 'For {tier}',
    notMetList: 'criteria not met',
    undeterminedList: 'criteria undetermined',
    missingList: 'no data',
    unknownList: 'threshold unknown',
    withheld: 'No decision while {n} value(s) are refused: correct or clear them.',
    unused: 'Values no set uses',
    lacks: 'The profile lacks',
    internal: 'Internal error: the evaluator was restarted.',
    badYear: 'The year must be a whole number, such as 2024.',
    caution: 'Thresholds marked \u201cillustrative\u201d or \u201cunverified\u201d are not law.',
    tierWord: 'Tier',
  },
};

export const REGIONS = [
  ['tdmnpb', 'Trung du và miền núi phía Bắc', 'Northern midlands and mountains'],
  ['dbsh', 'Đồng bằng sông Hồng', 'Red River Delta'],
  ['btb', 'Bắc Trung Bộ', 'North Central'],
  ['dhntb', 'Duyên hải Nam Trung Bộ', 'South Central Coast'],
  ['tn', 'Tây Nguyên', 'Central Highlands'],
  ['dnb', 'Đông Nam Bộ', 'Southeast'],
  ['dbscl', 'Đồng bằng sông Cửu Long', 'Mekong Delta'],
];

export const GROUPS = [
  ['group1', 'Nhóm 1 (xã đang đô thị hóa)', 'Group 1 (urbanising)'],
  ['group2', 'Nhóm 2', 'Group 2'],
  ['group3', 'Nhóm 3 (vùng dân tộc thiểu số, miền núi)', 'Group 3 (ethnic-minority and mountain areas)'],
];

export const STATUSES = [
  ['especially_difficult', 'Xã đặc biệt khó khăn', 'Especially difficult commune'],
  ['safe_zone', 'Xã an toàn khu', 'Safe-zone commune'],
  ['in_poor_district', 'Thuộc huyện nghèo', 'In a poor district'],
];

export const LEVELS = {
  village: ['thôn', 'village'],
  commune: ['xã', 'commune'],
  district: ['huyện', 'district'],
  province: ['tỉnh', 'province'],
};

/** Tier ids of the catalog, for the set list (the sets' own names are used once loaded). */
export const TIERS = {
  standard: ['đạt chuẩn', 'standard'],
  advanced: ['nâng cao', 'advanced'],
  model: ['kiểu mẫu', 'model'],
  modern: ['hiện đại', 'modern'],
  completed: ['hoàn thành nhiệm vụ', 'completed'],
};

export const UNITS = {
  percent: ['%', '%'],
  million_vnd_per_person_year: ['triệu đồng/người/năm', 'million VND/person/year'],
  square_metres_per_person: ['m²/người', 'm²/person'],
};

/** `{name}` placeholders filled from `args`. */
export function fill(text, args) {
  return text.replace(/\{(\w+)\}/g, (_, k) => (k in args ? String(args[k]) : `{${k}}`));
}
