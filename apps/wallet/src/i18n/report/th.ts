import type { ReportMessageKey } from './en.js';

/** ภาษาไทย (บัตรที่หยุดชั่วคราวและการรายงาน). */
export const reportTh: Record<ReportMessageKey, string> = {
  'card.pausedBadge': 'หยุดชั่วคราว',
  'card.pausedTitle': 'บัตรนี้ถูกหยุดชั่วคราว',
  'card.pausedBody':
    'My Card หยุด {name} ไว้ชั่วคราว จึงใช้รหัสนี้ที่จุดชำระเงินไม่ได้ คุณไม่ต้องทำอะไร หากโปรแกรมกลับมา บัตรจะใช้ได้อีกครั้งที่นี่',
  'report.open': 'รายงานบัตรนี้',
  'report.openProgram': 'รายงานโปรแกรมนี้',
  'report.title': 'รายงาน {name}',
  'report.lead': 'บอกทีม My Card ว่ามีปัญหาอะไร ร้านค้าจะไม่รู้ว่าใครเป็นผู้รายงาน',
  'report.reason': 'มีปัญหาอะไร',
  'report.reason.impersonation': 'แอบอ้างเป็นร้านอื่น',
  'report.reason.scam': 'ดูเหมือนการหลอกลวง',
  'report.reason.inappropriate': 'มีเนื้อหาไม่เหมาะสม',
  'report.reason.broken': 'ใช้งานไม่ได้',
  'report.reason.other': 'อื่น ๆ',
  'report.text': 'รายละเอียดเพิ่มเติม',
  'report.textHint': 'ไม่บังคับ ไม่เกิน 1000 ตัวอักษร',
  'report.send': 'ส่งรายงาน',
  'report.sending': 'กำลังส่ง…',
  'report.needReason': 'เลือกว่ามีปัญหาอะไร',
  'report.sent': 'ขอบคุณ รายงานของคุณถูกส่งถึงทีม My Card แล้ว',
  'report.rateLimited': 'คุณส่งรายงานครบจำนวนที่ส่งได้ในตอนนี้แล้ว ส่งได้อีกครั้ง {when}',
};
