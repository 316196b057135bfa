import { api, request } from './client';
import { getSession, sessionFromTokens, setSession } from './session';
import type {
  AnalyticsDashboard,
  TrendingSearches,
  Address,
  AddressInput,
  Cart,
  Category,
  Checkout,
  Notification,
  Order,
  OrderStatus,
  Page,
  Product,
  ProductInput,
  Profile,
  PublicStock,
  SearchFacets,
  SearchMode,
  SearchResult,
  Stock,
  Suggestion,
  TokenResponse,
  User,
} from './types';

// ---- auth ----
export async function login(email: string, password: string): Promise<User> {
  const t = await api.post<TokenResponse>('/auth/login', { email, password }, { auth: 'none' });
  setSession(sessionFromTokens(t));
  return t.user;
}

export async function register(name: string, email: string, password: string): Promise<User> {
  const data = await api.post<TokenResponse | User>('/auth/register', { name, email, password }, { auth: 'none' });
  if (data && 'accessToken' in data && data.accessToken) {
    setSession(sessionFromTokens(data));
    return data.user;
  }
  // register answered the user only: log in with the same credentials
  return login(email, password);
}

export async function logout(): Promise<void> {
  const s = getSession();
  setSession(null);
  if (!s) return;
  try {
    await request('POST', '/auth/logout', {
      body: { refreshToken: s.refreshToken },
      headers: { Authorization: `Bearer ${s.accessToken}` },
      auth: 'none',
    });
  } catch {
    /* the local session is gone either way */
  }
}

export const me = () => api.get<User>('/auth/me');

// ---- users ----
export const getProfile = () => api.get<Profile>('/users/profile');
export const updateProfile = (p: { name: string; phone?: string | null; preferences?: Record<string, unknown> }) =>
  api.put<Profile>('/users/profile', p);
export const listAddresses = () => api.get<Address[]>('/users/addresses').then((a) => (Array.isArray(a) ? a : []));
export const createAddress = (a: AddressInput) => api.post<Address>('/users/address', a);
export const updateAddress = (id: string, a: AddressInput) => api.put<Address>(`/users/address/${encodeURIComponent(id)}`, a);
export const deleteAddress = (id: string) => api.del(`/users/address/${encodeURIComponent(id)}`);

// ---- catalog ----
export interface ProductQuery {
  page?: number;
  limit?: number;
  category?: string;
  minPrice?: string | number;
  maxPrice?: string | number;
  q?: string;
  sort?: string;
  vendorId?: string;
}
export const listProducts = (q: ProductQuery = {}) => api.page<Product>('/products', { ...q }) as Promise<Page<Product>>;
export const getProduct = (id: string) => api.get<Product>(`/products/${encodeURIComponent(id)}`);
export const createProduct = (p: ProductInput) => api.post<Product>('/products', p);
export const updateProduct = (id: string, p: ProductInput) => api.put<Product>(`/products/${encodeURIComponent(id)}`, p);
export const deleteProduct = (id: string) => api.del(`/products/${encodeURIComponent(id)}`);
export const listCategories = () => api.get<Category[]>('/categories').then((c) => (Array.isArray(c) ? c : []));
export const createCategory = (c: { name: string; slug: string; parentId?: string | null; description?: string }) =>
  api.post<Category>('/categories', c);

// ---- search ----
export interface SearchQuery {
  q?: string;
  mode?: SearchMode;
  category?: string;
  minPrice?: string | number;
  maxPrice?: string | number;
  /** Sent only when true. */
  inStock?: boolean;
  sort?: string;
  page?: number;
  limit?: number;
}

/** The search service answers at most this many results deep (page times limit); deeper pages are a 400. */
export const SEARCH_MAX_WINDOW = 1000;

/** GET /api/search: one page of products, the facets of every match. */
export async function searchProducts(query: SearchQuery, signal?: AbortSignal): Promise<SearchResult> {
  const { inStock, ...rest } = query;
  const r = await request<Partial<Omit<SearchResult, 'pagination'>>>('GET', '/search', {
    query: { ...rest, inStock: inStock ? 'true' : undefined },
    signal,
  });
  const items = Array.isArray(r.data?.items) ? r.data.items : [];
  const facets = r.data?.facets;
  return {
    mode: r.data?.mode ?? 'browse',
    items,
    facets: {
      categories: Array.isArray(facets?.categories) ? facets.categories : [],
      priceBands: Array.isArray(facets?.priceBands) ? facets.priceBands : [],
      inStock: facets?.inStock ?? null,
    },
    pagination: r.pagination ?? { page: query.page ?? 1, limit: query.limit ?? items.length, total: items.length },
  };
}

/**
 * The in-stock count of an answer, or null while the search service does not give one (the in-stock
 * filter, ?inStock=true, is being added to it): the UI shows the in-stock choice only when this is a number.
 */
export function inStockCount(facets: SearchFacets): number | null {
  const f = facets.inStock;
  if (typeof f === 'number') return f;
  if (f && typeof f === 'object' && typeof f.count === 'number') return f.count;
  return null;
}

/** GET /api/search/suggest: at most 8 product names for the search box. */
export const suggestProducts = (q: string, signal?: AbortSignal) =>
  api.get<Suggestion[]>('/search/suggest', { q }, { signal }).then((s) => (Array.isArray(s) ? s : []));

// ---- inventory ----
export const getStock = (productId: string) => api.get<PublicStock>(`/inventory/${encodeURIComponent(productId)}`);
export const addStock = (b: { productId: string; quantity: number; lowStockThreshold?: number }) => api.post<Stock>('/inventory/add', b);
export const lowStock = () => api.get<Stock[]>('/inventory/status/low-stock').then((s) => (Array.isArray(s) ? s : []));

// ---- cart ----
export const getCart = () => api.get<Cart>('/cart');
export const addToCart = (productId: string, quantity: number) => api.post<Cart>('/cart/add', { productId, quantity });
export const setCartQuantity = (productId: string, quantity: number) =>
  api.put<Cart>(`/cart/items/${encodeURIComponent(productId)}`, { quantity });
export const removeFromCart = (productId: string) => api.del<Cart>(`/cart/items/${encodeURIComponent(productId)}`);
export const clearCart = () => api.del<Cart>('/cart');

// ---- orders ----
export const listOrders = (page = 1, limit = 10) => api.page<Order>('/orders', { page, limit });
export const getOrder = (id: string) => api.get<Order>(`/orders/${encodeURIComponent(id)}`);
export const listAdminOrders = (q: { status?: OrderStatus | ''; page?: number; limit?: number }) => api.page<Order>('/orders/admin', q);
export type OrderAction = 'ship' | 'deliver' | 'cancel';
export const changeOrderStatus = (id: string, action: OrderAction) => api.put<Order>(`/orders/${encodeURIComponent(id)}/status`, { action });

// ---- checkout ----
/** Either a saved address (by id) or a new one, never both: the API takes exactly one. */
export type CheckoutRequest =
  | { addressId: string; paymentMethod: string }
  | { shippingAddress: ShippingAddress; paymentMethod: string };

/** An address as an order carries it: no id, no default flag. */
export type ShippingAddress = Omit<AddressInput, 'isDefault'>;
export const startCheckout = (body: CheckoutRequest, idempotencyKey: string) =>
  api.post<Checkout>('/checkout', body, { headers: { 'Idempotency-Key': idempotencyKey } });
export const getCheckout = (id: string) => api.get<Checkout>(`/checkout/${encodeURIComponent(id)}`);

// ---- notifications ----
export const listNotifications = (page = 1, limit = 20) => api.page<Notification>('/notifications', { page, limit });

// ---- analytics (admin; a vendor sees their own products) ----
export const analyticsDashboard = (q: { from: string; to: string }) => api.get<AnalyticsDashboard>('/analytics/dashboard', q);
export const trendingSearches = (window: string) => api.get<TrendingSearches>('/analytics/search/trending', { window, limit: 10 });
