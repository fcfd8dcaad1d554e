/**
 * Tariffs: price of a parcel by destination zone (by province, from the shipping county) with a
 * first-weight price and additional-weight steps (steps round up), volumetric weight and
 * per-shipper contract prices that override the public tariff. Money in fen (integer), weight in
 * grams (integer), dimensions in centimetres.
 */
import { invalid } from '../errors.ts';

export interface ZoneRate {
  /** Weight covered by the first-weight price, e.g. 1000 g. */
  firstWeightG: number;
  firstPriceFen: number;
  /** Size of an additional-weight step, e.g. 500 g or 1000 g; a started step counts in full. */
  stepWeightG: number;
  stepPriceFen: number;
}

export interface TariffZone extends ZoneRate {
  id: string;
  /** Display name, e.g. 省内, 邻省, 一般, 远程. */
  name: string;
  /** 2-digit province codes in this zone. */
  provinces: string[];
}

export interface Tariff {
  /** Version label recorded with every quote, e.g. "qn-2026-11". */
  version: string;
  /** County (6 digits) or prefecture/province the tariff ships from. */
  originCode: string;
  /** cm³ per kg: volumetric kg = L × W × H / divisor. */
  volumetricDivisor: number;
  /** Parcels lighter than this chargeable weight are not volumetric-rated (0 = always). */
  volumetricMinG?: number;
  maxWeightG: number;
  zones: TariffZone[];
}

/** A shipper's contract: replaces zone rates (fully or field by field) and optionally the divisor. */
export interface ContractPrice {
  id: string;
  shipperId: string;
  /** The tariff version this contract was priced against; quotes record both. */
  version: string;
  zoneRates?: Record<string, Partial<ZoneRate>>;
  volumetricDivisor?: number;
  /** Discount applied to the public price of zones not listed in zoneRates, in per cent (0–100). */
  discountPercent?: number;
  /** ISO dates (inclusive) of validity; checked against the `date` given to `quote`. */
  validFrom?: string;
  validTo?: string;
}

export interface Dimensions {
  lengthCm: number;
  widthCm: number;
  heightCm: number;
}

export interface QuoteInput {
  /** Destination county (6 digits) or any code whose first 2 digits are the province. */
  destinationCode: string;
  weightG: number;
  dimensions?: Dimensions;
  contract?: ContractPrice;
  /** ISO date of shipping, for contract validity (injected: no hidden clock). */
  date?: string;
}

export interface QuoteLine {
  kind: 'first_weight' | 'additional_weight' | 'discount';
  label: string;
  quantity: number;
  unitFen: number;
  amountFen: number;
}

export interface Quote {
  totalFen: number;
  zoneId: string;
  zoneName: string;
  actualWeightG: number;
  volumetricWeightG: number;
  chargeableWeightG: number;
  /** Weight actually billed after rounding up to steps. */
  billedWeightG: number;
  lines: QuoteLine[];
  tariffVersion: string;
  contractId?: string;
  contractVersion?: string;
}

/** Volumetric weight in grams, rounded up to the gram. */
export function volumetricWeightG(d: Dimensions, divisor: number): number {
  for (const v of [d.lengthCm, d.widthCm, d.heightCm]) {
    if (!Number.isFinite(v) || v <= 0) throw invalid('tariff.dimensions_invalid', 'dimensions must be positive numbers of centimetres');
  }
  if (!(divisor > 0)) throw invalid('tariff.divisor_invalid', 'volumetric divisor must be positive');
  // cm³ × 1000 g/kg ÷ (cm³/kg); the epsilon keeps 24000 × 1000 / 8000 at exactly 3000.
  return Math.ceil((d.lengthCm * d.widthCm * d.heightCm * 1000) / divisor - 1e-9);
}

export function chargeableWeightG(actualG: number, d: Dimensions | undefined, divisor: number, volumetricMinG = 0): { volumetricG: number; chargeableG: number } {
  const volumetricG = d ? volumetricWeightG(d, divisor) : 0;
  const chargeableG = volumetricG > actualG && volumetricG >= volumetricMinG ? volumetricG : actualG;
  return { volumetricG, chargeableG };
}

export function zoneFor(tariff: Tariff, destinationCode: string): TariffZone {
  const province = destinationCode.slice(0, 2);
  const zone = tariff.zones.find((z) => z.provinces.includes(province));
  if (!zone) throw invalid('tariff.destination_not_served', `no tariff zone for destination ${destinationCode}`);
  return zone;
}

function effectiveRate(zone: TariffZone, contract: ContractPrice | undefined): ZoneRate {
  const override = contract?.zoneRates?.[zone.id];
  return {
    firstWeightG: override?.firstWeightG ?? zone.firstWeightG,
    firstPriceFen: override?.firstPriceFen ?? zone.firstPriceFen,
    stepWeightG: override?.stepWeightG ?? zone.stepWeightG,
    stepPriceFen: override?.stepPriceFen ?? zone.stepPriceFen,
  };
}

/** Prices one parcel. Throws DomainError(invalid) for bad input or a destination not served. */
export function quote(tariff: Tariff, input: QuoteInput): Quote {
  const { weightG, contract } = input;
  if (!Number.isFinite(weightG) || weightG <= 0) throw invalid('tariff.weight_invalid', 'weight must be positive');
  if (contract && input.date) {
    if ((contract.validFrom && input.date < contract.validFrom) || (contract.validTo && input.date > contract.validTo)) {
      throw invalid('tariff.contract_not_valid', `contract ${contract.id} is not valid on ${input.date}`);
    }
  }
  const zone = zoneFor(tariff, input.destinationCode);
  const divisor = contract?.volumetricDivisor ?? tariff.volumetricDivisor;
  const actualG = Math.ceil(weightG);
  const { volumetricG, chargeableG } = chargeableWeightG(actualG, input.dimensions, divisor, tariff.volumetricMinG);
  if (chargeableG > tariff.maxWeightG) {
    throw invalid('tariff.too_heavy', `chargeable weight ${chargeableG} g exceeds the maximum ${tariff.maxWeightG} g`);
  }
  const rate = effectiveRate(zone, contract);
  const steps = Math.max(0, Math.ceil((chargeableG - rate.firstWeightG) / rate.stepWeightG));
  const lines: QuoteLine[] = [
    { kind: 'first_weight', label: `首重 ${rate.firstWeightG / 1000} kg`, quantity: 1, unitFen: rate.firstPriceFen, amountFen: rate.firstPriceFen },
  ];
  if (steps > 0) {
    lines.push({ kind: 'additional_weight', label: `续重 ${steps} × ${rate.stepWeightG / 1000} kg`, quantity: steps, unitFen: rate.stepPriceFen, amountFen: steps * rate.stepPriceFen });
  }
  let total = lines.reduce((s, l) => s + l.amountFen, 0);
  const listedInContract = contract?.zoneRates?.[zone.id] !== undefined;
  if (contract?.discountPercent && !listedInContract) {
    const d = Math.round((total * contract.discountPercent) / 100);
    lines.push({ kind: 'discount', label: `协议折扣 ${contract.discountPercent}%`, quantity: 1, unitFen: -d, amountFen: -d });
    total -= d;
  }
  return {
    totalFen: total,
    zoneId: zone.id,
    zoneName: zone.name,
    actualWeightG: actualG,
    volumetricWeightG: volumetricG,
    chargeableWeightG: chargeableG,
    billedWeightG: rate.firstWeightG + steps * rate.stepWeightG,
    lines,
    tariffVersion: tariff.version,
    ...(contract ? { contractId: contract.id, contractVersion: contract.version } : {}),
  };
}

/**
 * The tariff for a shipping county: the one whose originCode is the longest prefix of the county
 * code (a county tariff beats its prefecture's, which beats its province's).
 */
export function selectTariff(tariffs: readonly Tariff[], originCounty: string): Tariff {
  let best: Tariff | undefined;
  for (const t of tariffs) {
    if (originCounty.startsWith(t.originCode) && (!best || t.originCode.length > best.originCode.length)) best = t;
  }
  if (!best) throw invalid('tariff.origin_not_configured', `no tariff ships from ${originCounty}`);
  return best;
}

/** Checks a tariff: every province in at most one zone, positive steps. */
export function validateTariff(t: Tariff): void {
  const seen = new Map<string, string>();
  for (const z of t.zones) {
    if (z.firstWeightG <= 0 || z.stepWeightG <= 0) throw invalid('tariff.invalid', `zone ${z.id}: weights must be positive`);
    if (z.firstPriceFen < 0 || z.stepPriceFen < 0) throw invalid('tariff.invalid', `zone ${z.id}: prices must not be negative`);
    for (const p of z.provinces) {
      const other = seen.get(p);
      if (other) throw invalid('tariff.invalid', `province ${p} is in zones ${other} and ${z.id}`);
      seen.set(p, z.id);
    }
  }
}

/**
 * Default public tariff from Qiannan, Guizhou (fictional but plausible figures).
 * 省内 Guizhou; 邻省 Chongqing, Sichuan, Yunnan, Guangxi, Hunan; 远程 Xinjiang, Tibet, Qinghai,
 * Inner Mongolia, Ningxia, Gansu; 一般 the rest of the mainland. Hong Kong, Macao and Taiwan are not
 * served by this tariff.
 */
export const DEFAULT_TARIFF: Tariff = {
  version: 'qn-public-2026-11',
  originCode: '522731', // 惠水县
  volumetricDivisor: 8000,
  volumetricMinG: 0,
  maxWeightG: 50_000,
  zones: [
    { id: 'local', name: '省内', provinces: ['52'], firstWeightG: 1000, firstPriceFen: 800, stepWeightG: 1000, stepPriceFen: 200 },
    { id: 'near', name: '邻省', provinces: ['50', '51', '53', '45', '43'], firstWeightG: 1000, firstPriceFen: 1000, stepWeightG: 1000, stepPriceFen: 400 },
    {
      id: 'general',
      name: '一般',
      provinces: ['11', '12', '13', '14', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '44', '46', '61'],
      firstWeightG: 1000, firstPriceFen: 1200, stepWeightG: 500, stepPriceFen: 300,
    },
    { id: 'remote', name: '远程', provinces: ['65', '54', '63', '15', '64', '62'], firstWeightG: 1000, firstPriceFen: 2000, stepWeightG: 500, stepPriceFen: 800 },
  ],
};
