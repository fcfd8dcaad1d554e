/** Builds label data from a validated order (packages/domain orders) and an allocated waybill number. */
import type { ParsedOrder } from '@cuntong/domain/orders/orders.ts';
import { regionIndex, type RegionIndex, type ResolvedRegion } from '@cuntong/domain/orders/regions.ts';
import type { LabelData, LabelParty } from './label.ts';

export interface LabelContext {
  waybillNo: string;
  sender: LabelParty;
  /** ISO date (injected). */
  date: string;
  reprint?: boolean;
  sortCode?: string;
  regions?: RegionIndex;
}

/** 广东省深圳市南山区; 北京市朝阳区 (the virtual 市辖区 level is skipped). */
export function regionText(r: ResolvedRegion): string {
  return r.province.name + (r.city.virtual || r.city.name === r.county.name ? '' : r.city.name) + r.county.name;
}

export function labelFromOrder(order: ParsedOrder, ctx: LabelContext): LabelData {
  const regions = ctx.regions ?? regionIndex();
  return {
    waybillNo: ctx.waybillNo,
    destination: regions.displayName(order.region.county.code),
    ...(ctx.sortCode ? { sortCode: ctx.sortCode } : {}),
    recipient: { name: order.recipientName, phone: order.recipientPhone, address: order.region.detail, region: regionText(order.region) },
    sender: ctx.sender,
    ...(order.weightG !== undefined ? { weightG: order.weightG } : {}),
    ...(order.product ? { product: order.product } : {}),
    quantity: order.quantity,
    ...(order.orderNo ? { orderNo: order.orderNo } : {}),
    ...(order.remark ? { remark: order.remark } : {}),
    date: ctx.date,
    ...(ctx.reprint ? { reprint: true } : {}),
  };
}
