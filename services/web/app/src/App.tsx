import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect } from 'react';
import { BrowserRouter, Link, Route, Routes, useLocation } from 'react-router-dom';
import { trackPageView } from './lib/pageViews';
import { isApiError } from './api/client';
import { AuthProvider } from './auth/AuthContext';
import { Layout } from './components/Layout';
import { RequireAuth } from './components/RequireAuth';
import { Empty, btn } from './components/ui';
import { AccountPage } from './pages/Account';
import { LoginPage, RegisterPage } from './pages/Auth';
import { CartPage } from './pages/Cart';
import { CheckoutPage } from './pages/Checkout';
import { Home } from './pages/Home';
import { NotificationsPage } from './pages/Notifications';
import { OrderConfirmation, OrderDetail, OrdersPage } from './pages/Orders';
import { ProductDetail } from './pages/ProductDetail';
import { Products } from './pages/Products';
import { AdminLayout } from './pages/admin/AdminLayout';
import { AdminOrders } from './pages/admin/AdminOrders';
import { Categories } from './pages/admin/Categories';
import { Dashboard } from './pages/admin/Dashboard';
import { ProductEditor, ProductsManager } from './pages/admin/ProductsManager';
import { StockPage } from './pages/admin/Stock';
import { PriceFeedsPage } from './pages/admin/PriceFeeds';

export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        // client errors (4xx) are answers, not hiccups: don't retry them
        retry: (count, error) => count < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  });
}

function NotFound() {
  return (
    <Empty title="Page not found." testId="not-found">
      <Link to="/" className={btn.link}>
        Go home
      </Link>
    </Empty>
  );
}

/** One page view per route change (the analytics sessions behind the dashboard's conversion rate). */
function PageViews() {
  const { pathname } = useLocation();
  useEffect(() => trackPageView(pathname), [pathname]);
  return null;
}

export function AppRoutes() {
  return (
    <>
    <PageViews />
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Home />} />
        <Route path="products" element={<Products />} />
        <Route path="search" element={<Products />} />
        <Route path="products/:id" element={<ProductDetail />} />
        <Route path="cart" element={<CartPage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="register" element={<RegisterPage />} />
        <Route path="checkout" element={<RequireAuth><CheckoutPage /></RequireAuth>} />
        <Route path="orders" element={<RequireAuth><OrdersPage /></RequireAuth>} />
        <Route path="orders/:id" element={<RequireAuth><OrderDetail /></RequireAuth>} />
        <Route path="orders/:id/confirmation" element={<RequireAuth><OrderConfirmation /></RequireAuth>} />
        <Route path="notifications" element={<RequireAuth><NotificationsPage /></RequireAuth>} />
        <Route path="account" element={<RequireAuth><AccountPage /></RequireAuth>} />
        <Route path="admin" element={<RequireAuth roles={['admin']}><AdminLayout /></RequireAuth>}>
          <Route index element={<Dashboard />} />
          <Route path="products" element={<ProductsManager scope="admin" />} />
          <Route path="products/new" element={<ProductEditor scope="admin" />} />
          <Route path="products/:id/edit" element={<ProductEditor scope="admin" />} />
          <Route path="price-feeds" element={<PriceFeedsPage />} />
          <Route path="categories" element={<Categories />} />
          <Route path="stock" element={<StockPage />} />
          <Route path="orders" element={<AdminOrders />} />
        </Route>
        <Route path="vendor" element={<RequireAuth roles={['vendor']}><ProductsManager scope="vendor" /></RequireAuth>} />
        <Route path="vendor/products" element={<RequireAuth roles={['vendor']}><ProductsManager scope="vendor" /></RequireAuth>} />
        <Route path="vendor/products/new" element={<RequireAuth roles={['vendor']}><ProductEditor scope="vendor" /></RequireAuth>} />
        <Route path="vendor/products/:id/edit" element={<RequireAuth roles={['vendor']}><ProductEditor scope="vendor" /></RequireAuth>} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
    </>
  );
}

const queryClient = makeQueryClient();

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <AuthProvider>
          <AppRoutes />
        </AuthProvider>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
