// Shapes from docs/contracts.md ("Resources").

export type Role = 'customer' | 'vendor' | 'admin';

export interface User {
  id: string;
  name: string;
  email: string;
  role: Role;
  createdAt?: string;
}

export interface TokenResponse {
  accessToken: string;
  refreshToken: string;
  expiresIn: number; // seconds
  tokenType: 'Bearer' | string;
  user: User;
}

export interface Profile {
  userId: string;
  name: string;
  email: string;
  phone?: string | null;
  preferences?: Record<string, unknown> | null;
}

export interface Address {
  id: string;
  fullName: string;
  line1: string;
  line2?: string | null;
  city: string;
  region?: string | null;
  postalCode: string;
  country: string;
  phone?: string | null;
  isDefault: boolean;
}

export type AddressInput = Omit<Address, 'id'>;

export interface Category {
  id: string;
  name: string;
  slug: string;
  parentId?: string | null;
  description?: string | null;
}

export interface Product {
  id: string;
  name: string;
  description?: string | null;
  price: number;
  currency: string;
  categoryId?: string | null;
  categorySlug?: string | null;
  vendorId?: string | null;
  images: string[];
  attributes?: Record<string, string>;
  /** The uploaded images with their scaled variants (absent in answers that do not carry them). */
  media?: ProductMedia[];
  createdAt?: string;
  updatedAt?: string;
  gtin?: string | null;
}

/** One scaled copy of an uploaded image: its URL and pixel size (for srcset's w descriptors and width/height). */
export interface ImageVariant {
  url: string;
  width: number;
  height: number;
}

export type VariantName = 'thumb' | 'card' | 'full';

/** An uploaded product image (catalog's ProductImage): 160 / 480 / 1600 px on the longer side, never scaled up. */
export interface ProductMedia {
  id: string;
  position: number;
  primary: boolean;
  width: number;
  height: number;
  sourceFormat: 'jpeg' | 'png' | 'webp';
  variants: Partial<Record<VariantName, ImageVariant>>;
}

export interface ProductInput {
  name: string;
  description: string;
  price: number;
  currency: string;
  categoryId: string | null;
  /** Typed image URLs; left out when the product has uploaded images (their URLs are the catalog's to keep). */
  images?: string[];
  attributes: Record<string, string>;
  gtin?: string; // '' clears it
}

/** Public stock view: GET /api/inventory/{productId} */
export interface PublicStock {
  productId: string;
  quantity: number;
  isLowStock: boolean;
  inStock: boolean;
}

/** Admin stock view (low-stock list, add). */
export interface Stock {
  productId: string;
  available: number;
  reserved: number;
  lowStockThreshold: number;
  isLowStock: boolean;
}

export interface CartItem {
  productId: string;
  name: string;
  unitPrice: number;
  quantity: number;
  lineTotal: number;
  currency: string;
  priceChanged?: boolean;
  previousUnitPrice?: number | null;
}

export interface Cart {
  userId: string;
  items: CartItem[];
  total: number;
  currency: string;
  itemCount: number;
}

export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED';
export const ORDER_STATUSES: OrderStatus[] = ['PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED'];

export interface OrderItem {
  productId: string;
  name: string;
  unitPrice: number;
  quantity: number;
  lineTotal: number;
}

export interface StatusChange {
  status: OrderStatus;
  at: string;
  note?: string | null;
}

export interface Order {
  id: string;
  userId: string;
  status: OrderStatus;
  items: OrderItem[];
  subtotal: number;
  total: number;
  currency: string;
  shippingAddress?: Partial<Address> | null;
  statusHistory?: StatusChange[];
  paymentTransactionId?: string | null;
  createdAt: string;
  updatedAt?: string;
}

export type CheckoutStatus = 'COMPLETED' | 'OUT_OF_STOCK' | 'PAYMENT_FAILED' | 'IN_PROGRESS' | 'COMPENSATED';

export interface Checkout {
  id: string;
  orderId?: string | null;
  transactionId?: string | null;
  status: CheckoutStatus;
  failureReason?: string | null;
  createdAt?: string;
}

export interface Notification {
  id: string;
  userId: string;
  channel: string;
  template: string;
  subject?: string | null;
  body?: string | null;
  status: string;
  attempts?: number;
  createdAt: string;
  sentAt?: string | null;
}

export interface Pagination {
  page: number;
  limit: number;
  total: number;
}

export interface Page<T> {
  items: T[];
  pagination: Pagination;
}

export interface FieldError {
  field: string;
  message: string;
}

// ---- analytics ----
export interface ProductStat {
  productId: string;
  name: string | null;
  views: number;
  adds: number;
  purchases: number;
  revenue: number;
}

export interface DashboardDay {
  day: string;
  sessions?: number;
  orders?: number;
  revenue: number;
  views: number;
  adds: number;
  purchases?: number;
}

export interface AnalyticsDashboard {
  from: string;
  to: string;
  timeZone: string;
  scope: 'shop' | 'vendor';
  orders?: number;
  revenue: number;
  averageOrderValue?: number;
  sessions?: number;
  conversionRate?: number;
  addToCartRate: number;
  views: number;
  adds: number;
  searches?: number;
  unitsSold?: number;
  days: DashboardDay[];
  topProducts: ProductStat[];
}

export interface QueryStat {
  query: string;
  searches: number;
  zeroResults: number;
}

export interface TrendingSearches {
  window: string;
  since: string;
  timeZone: string;
  queries: QueryStat[];
  zeroResults: QueryStat[];
}

// ---- search (services/search, GET /api/search and /api/search/suggest) ----
export interface CategoryFacet {
  slug: string;
  count: number;
}

export interface PriceBandFacet {
  /** e.g. "25-50"; the top band is "200-". */
  band: string;
  minPrice: number;
  /** Exclusive; null for the top band. */
  maxPrice: number | null;
  count: number;
}

export interface SearchFacets {
  /** Every matching product counts under its category and each ancestor. */
  categories: CategoryFacet[];
  priceBands: PriceBandFacet[];
  /** How many matches are in stock (an integer), once the search service answers it (see inStockCount in api/endpoints.ts). */
  inStock?: number | { count?: number } | null;
}

export type SearchMode = 'keyword' | 'semantic' | 'hybrid';

export interface SearchResult {
  /** "browse" when there was no q (a listing). */
  mode: SearchMode | 'browse';
  items: Product[];
  facets: SearchFacets;
  pagination: Pagination;
}

export interface Suggestion {
  id: string;
  name: string;
}
