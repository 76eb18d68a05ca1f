"""City model loaders -> CityModel (numpy arrays + object table). No Panda3D here."""
