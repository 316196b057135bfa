import { NavLink, Outlet } from 'react-router-dom';

const tab = ({ isActive }: { isActive: boolean }) =>
  `whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium ${isActive ? 'bg-indigo-600 text-white' : 'text-slate-700 hover:bg-slate-100'}`;

export function AdminLayout() {
  return (
    <div>
      <nav className="mb-6 flex gap-1 overflow-x-auto border-b border-slate-200 pb-2" aria-label="Admin" data-testid="admin-nav">
        <NavLink end to="/admin" className={tab} data-testid="admin-nav-dashboard">
          Dashboard
        </NavLink>
        <NavLink to="/admin/products" className={tab} data-testid="admin-nav-products">
          Products
        </NavLink>
        <NavLink to="/admin/categories" className={tab} data-testid="admin-nav-categories">
          Categories
        </NavLink>
        <NavLink to="/admin/stock" className={tab} data-testid="admin-nav-stock">
          Stock
        </NavLink>
        <NavLink to="/admin/orders" className={tab} data-testid="admin-nav-orders">
          Orders
        </NavLink>
        <NavLink to="/admin/price-feeds" className={tab} data-testid="admin-nav-price-feeds">
          Price feeds
        </NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
